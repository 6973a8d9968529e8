/**
 * HostView: the read-only snapshot of the live system that keepalived's `-t` consults after parsing
 * (interfaces and their addresses, users and groups, files on disk). The validator only sees this
 * interface, so unit tests hand it a fake and `--no-host-checks` hands it nothing at all.
 */
import type { AddressFamily } from '../../config/model.js';

export interface HostAddress {
  readonly family: AddressFamily;
  readonly address: string;
  readonly prefixLen: number;
}

export interface HostInterface {
  readonly index: number;
  readonly name: string;
  readonly up: boolean;
  readonly multicast: boolean;
  readonly mtu: number | null;
  /** Link-layer address as `aa:bb:…`, null when the link has none. */
  readonly mac: string | null;
  readonly addresses: readonly HostAddress[];
}

export interface HostUser {
  readonly name: string;
  readonly uid: number;
  readonly gid: number;
}

export interface HostGroup {
  readonly name: string;
  readonly gid: number;
}

/** What stat(2) tells about one path (after following symlinks). */
export interface HostFileInfo {
  readonly uid: number;
  readonly gid: number;
  /** Full st_mode (type bits included). */
  readonly mode: number;
  readonly isDirectory: boolean;
  readonly isFile: boolean;
}

export interface HostView {
  interfaceByName(name: string): HostInterface | null;
  readonly interfaces: readonly HostInterface[];
  userByName(name: string): HostUser | null;
  userById(uid: number): HostUser | null;
  groupByName(name: string): HostGroup | null;
  /** stat(2) of `path`, null when it does not exist or cannot be reached. */
  stat(path: string): HostFileInfo | null;
  /** Canonical absolute path (symlinks resolved), null when it does not exist. */
  realpath(path: string): string | null;
  /** Directories searched for a command given without a `/` (keepalived uses the PATH it was started with). */
  readonly searchPath: readonly string[];
}
