/**
 * include handling, checked against keepalived 2.2.7 -t: plain `include` tolerates missing files (message,
 * exit 0), the include variants / include_check / -e make them fatal; relative paths resolve against the
 * including file's directory; file:line of included lines are the included file's.
 */
import { chmodSync, mkdirSync } from 'node:fs';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { exitCodeFor } from '../../../src/core/diagnostics.js';
import { readConfig } from '../../../src/config/source/index.js';
import { codes, render, tempTree } from './helpers.js';

let cwd: string;
beforeEach(() => {
  cwd = process.cwd();
});
afterEach(() => {
  process.chdir(cwd);
});

describe('include', () => {
  it('inlines included files anywhere, relative to the including file', () => {
    const dir = tempTree({
      'keepalived.conf': 'global_defs {\n  include sub/inner.conf\n}\ninclude conf.d/*.conf\nlast\n',
      'sub/inner.conf': 'router_id X\ninclude ../sub2.conf\n',
      'sub2.conf': 'from_sub2\n',
      'conf.d/b.conf': 'b_conf\n',
      'conf.d/a.conf': 'vrrp_instance A {\n  priority 1\n}\n',
    });
    const r = readConfig(join(dir, 'keepalived.conf'), { configId: 'x' });
    expect(r.diagnostics).toEqual([]);
    expect(render(r.nodes)).toEqual(['global_defs {', '  router_id X', '  from_sub2', 'vrrp_instance A {', '  priority 1', 'b_conf', 'last']);
    expect(r.nodes[0]!.children![1]!.pos).toEqual({ file: '../sub2.conf', line: 1 });
    expect(r.nodes[1]!.pos).toEqual({ file: 'conf.d/a.conf', line: 1 });
    expect(r.nodes[3]!.pos).toEqual({ file: join(dir, 'keepalived.conf'), line: 5 });
    expect(r.files).toEqual(['keepalived.conf', 'sub/inner.conf', 'sub2.conf', 'conf.d/a.conf', 'conf.d/b.conf'].map((f) => join(dir, f)));
  });

  it('supports brace alternatives and blocks split across files', () => {
    const dir = tempTree({
      'main.conf': 'vrrp_instance A {\ninclude {one,two}.conf\n}\n',
      'one.conf': 'state BACKUP\n',
      'two.conf': 'virtual_ipaddress {\n 10.0.0.1\n}\n',
    });
    const r = readConfig(join(dir, 'main.conf'));
    expect(r.diagnostics).toEqual([]);
    expect(render(r.nodes)).toEqual(['vrrp_instance A {', '  state BACKUP', '  virtual_ipaddress {', '    10.0.0.1']);
  });

  it('tolerates missing files with plain include (info only, -t exit 0)', () => {
    const dir = tempTree({ 'main.conf': 'include sub/none.conf\ninclude sub/*.nomatch\ninclude {a,b}.conf\nok\n', 'a.conf': 'a\n', 'sub/keep.txt': '' });
    const r = readConfig(join(dir, 'main.conf'));
    expect(codes(r.diagnostics)).toEqual(['KTS_CONFIG_INCLUDE_MISSING@1', 'KTS_CONFIG_INCLUDE_MISSING@3']);
    expect(r.diagnostics.map((d) => d.message)).toEqual(["Config files missing 'sub/none.conf'.", 'Some config files missing: "{a,b}.conf".']);
    expect(r.diagnostics.every((d) => d.severity === 'info')).toBe(true);
    expect(exitCodeFor(r.diagnostics)).toBe(0);
    expect(r.includeFileError).toBe(false);
    expect(render(r.nodes)).toEqual(['a', 'ok']);
  });

  it('makes missing files fatal with includew / includea / includeb and with allConfig', () => {
    const dir = tempTree({ 'main.conf': 'includew sub/*.nomatch\nincludeb {a,b}.conf\nincludea none.conf\nok\n', 'a.conf': 'a\n', 'sub/keep.txt': '' });
    const r = readConfig(join(dir, 'main.conf'));
    expect(codes(r.diagnostics)).toEqual(['KTS_CONFIG_INCLUDE_MISSING@1', 'KTS_CONFIG_INCLUDE_MISSING@2', 'KTS_CONFIG_INCLUDE_MISSING@3']);
    expect(r.diagnostics.map((d) => d.severity)).toEqual(['fatal', 'fatal', 'fatal']);
    expect(r.diagnostics[0]!.message).toBe("No config files matched 'sub/*.nomatch'.");
    expect(r.includeFileError).toBe(true);
    expect(render(r.nodes)).toEqual(['ok']);

    const plain = tempTree({ 'main.conf': 'include none.conf\n' });
    const all = readConfig(join(plain, 'main.conf'), { allConfig: true });
    expect(all.diagnostics.map((d) => d.severity)).toEqual(['fatal']);
    expect(exitCodeFor(all.diagnostics)).toBe(4);
  });

  it('includer only checks readability: a missing file is reported but not fatal', () => {
    const dir = tempTree({ 'main.conf': 'includer none.conf\n' });
    const r = readConfig(join(dir, 'main.conf'));
    expect(r.diagnostics.map((d) => [d.code, d.severity])).toEqual([['KTS_CONFIG_INCLUDE_MISSING', 'info']]);
  });

  it('skips directories and executable files', () => {
    const dir = tempTree({ 'main.conf': 'includer d/*\nx\n', 'd/exec.conf': 'bad\n', 'd/ok.conf': 'good\n' });
    mkdirSync(join(dir, 'd/sub'));
    chmodSync(join(dir, 'd/exec.conf'), 0o755);
    const r = readConfig(join(dir, 'main.conf'));
    expect(r.diagnostics.map((d) => d.message)).toEqual([
      "Configuration file 'd/exec.conf' is not a regular non-executable file - skipping",
      "Configuration file 'd/sub/' is a directory - skipping",
    ]);
    expect(r.diagnostics.map((d) => d.severity)).toEqual(['fatal', 'fatal']);
    expect(render(r.nodes)).toEqual(['good', 'x']);
  });

  it('applies include_check for the rest of the file that sets it', () => {
    const dir = tempTree({
      'main.conf': 'include inc.conf\ninclude none1.conf\n',
      'inc.conf': 'global_defs {\n include_check match\n}\ninclude none2.conf\n',
    });
    const r = readConfig(join(dir, 'main.conf'));
    expect(r.diagnostics.map((d) => `${d.file}:${d.line}:${d.severity}`)).toEqual(['inc.conf:4:fatal', `${join(dir, 'main.conf')}:2:info`]);
    expect(render(r.nodes)).toEqual(['global_defs {', '  include_check match']);
  });

  it('reports include loops instead of hanging', () => {
    const dir = tempTree({ 'a.conf': 'a\ninclude b.conf\n', 'b.conf': 'b\ninclude a.conf\n' });
    const r = readConfig(join(dir, 'a.conf'));
    expect(codes(r.diagnostics)).toEqual(['KTS_CONFIG_INCLUDE_LOOP@2']);
    expect(r.diagnostics[0]!.file).toBe('b.conf');
    expect(render(r.nodes)).toEqual(['a', 'b']);
  });

  it('is not an include without whitespace after the keyword', () => {
    const dir = tempTree({ 'main.conf': 'includex y\ninclude_check\n' });
    const r = readConfig(join(dir, 'main.conf'));
    expect(render(r.nodes)).toEqual(['includex y', 'include_check']);
  });
});

describe('main configuration file', () => {
  it('is info-only when missing (keepalived -t exits 0) and fatal with allConfig (exit 4)', () => {
    const dir = tempTree({});
    const path = join(dir, 'none.conf');
    const r = readConfig(path);
    expect(r.mainFileMissing).toBe(true);
    expect(r.diagnostics).toEqual([{ code: 'KTS_CONFIG_NOT_FOUND', severity: 'info', message: `Config files missing '${path}'.`, file: path }]);
    expect(exitCodeFor(r.diagnostics)).toBe(0);
    const e = readConfig(path, { allConfig: true });
    expect(exitCodeFor(e.diagnostics)).toBe(4);
  });

  it('refuses a directory', () => {
    const dir = tempTree({});
    const r = readConfig(dir, { allConfig: true });
    expect(r.mainFileMissing).toBe(true);
    expect(r.diagnostics[0]!.message).toBe(`Configuration file '${dir}/' is a directory - skipping`);
  });

  it('reads every match of a glob, with a warning', () => {
    const dir = tempTree({ 'a.conf': 'a\n', 'b.conf': 'b\n' });
    process.chdir(dir);
    const r = readConfig('*.conf');
    expect(codes(r.diagnostics)).toEqual(['KTS_CONFIG_MULTIPLE_FILES@-']);
    expect(r.diagnostics[0]!.message).toBe('WARNING, multiple configuration file matches of *.conf, starting with a.conf');
    expect(render(r.nodes)).toEqual(['a', 'b']);
    expect(r.nodes[1]!.pos).toEqual({ file: 'b.conf', line: 1 });
  });

  it('resolves a relative main path against the cwd and its includes against its directory', () => {
    const dir = tempTree({ 'etc/k.conf': 'include part.conf\n', 'etc/part.conf': 'p\n' });
    process.chdir(dir);
    const r = readConfig('etc/k.conf');
    expect(r.diagnostics).toEqual([]);
    expect(render(r.nodes)).toEqual(['p']);
    expect(r.nodes[0]!.pos.file).toBe('part.conf');
  });
});

describe('include limits', () => {
  it('stops at the include depth limit with one diagnostic', () => {
    const files: Record<string, string> = {};
    for (let i = 0; i < 40; i++) files[`f${i}.conf`] = `level_${i}\ninclude f${i + 1}.conf\n`;
    const dir = tempTree(files);
    const r = readConfig(join(dir, 'f0.conf'));
    expect(codes(r.diagnostics)).toEqual(['KTS_CONFIG_INCLUDE_DEPTH@2']);
    expect(r.diagnostics[0]!.file).toBe('f31.conf');
    expect(r.nodes.length).toBe(32);
  });
});
