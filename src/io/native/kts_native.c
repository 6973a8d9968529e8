/*
 * keepalived-ts native addon (Node-API, C). Owns the few socket operations Node.js and the
 * raw-socket npm package cannot do:
 *
 *  - AF_PACKET: send a complete Ethernet frame on an ifindex (gratuitous ARP, unsolicited NA).
 *    raw-socket only opens AF_INET/AF_INET6 sockets.
 *  - An IPv6 raw socket read with recvmsg(): a raw IPv6 socket never delivers the IPv6 header, so
 *    the hop limit (RFC 5798 §7.1 requires 255), the destination (multicast vs unicast) and the
 *    arrival ifindex only exist as ancillary data (IPV6_HOPLIMIT / IPV6_PKTINFO). raw-socket uses
 *    recvfrom() and drops them, so the IPv6 advert socket lives here (send side included, so one fd
 *    serves both directions as keepalived does).
 *  - A libuv readability poller for such an fd, calling back into JavaScript. Pollers are closed
 *    by an async env cleanup hook when their environment (a worker thread) is torn down.
 *  - An ICMP / ICMPv6 echo socket for PING_CHECK: an unprivileged datagram "ping" socket
 *    (SOCK_DGRAM, IPPROTO_ICMP[V6]; the kernel owns the echo id, checksums and reply matching),
 *    else (net.ipv4.ping_group_range excludes our gid) a raw one. Send/receive use sendTo/recvMsg.
 *  - mkfifo() for notify_fifo (Node.js has no binding for it).
 *  - setns(CLONE_NEWNET) for the calling (main) thread, so sockets can be opened inside a named
 *    network namespace (keepalived's `net_namespace`; the netns integration tests). Sockets keep
 *    the namespace they were created in.
 *  - AF_UNIX datagram send / bind / receive (Node.js has no unix datagram sockets): systemd's
 *    NOTIFY_SOCKET (sd_notify READY=1 ...), including Linux abstract names written "@name".
 *  - Real-time signal handlers (keepalived's JSON = SIGRTMIN+2, STATS_CLEAR = SIGRTMAX-1): Node.js
 *    can only listen to named signals (process.on('SIGUSR1')), and the default action of a real-time
 *    signal terminates the process, so `kill -36` would kill the daemon. sigaction() handlers here
 *    write the signal number to a self-pipe (write(2) is async-signal-safe); JavaScript reads the
 *    pipe's read end on the event loop.
 *
 * Everything is synchronous and non-blocking (sockets are O_NONBLOCK); errors throw an Error whose
 * `code` is the errno name (EPERM, ENODEV, ...) and whose `syscall` names the failing call.
 */
#include <node_api.h>
#include <uv.h>

#include <errno.h>
#include <fcntl.h>
#include <signal.h>
#include <stdio.h>
#include <string.h>
#include <stdlib.h>
#include <unistd.h>
#include <arpa/inet.h>
#include <net/if.h>
#include <netinet/in.h>
#include <netinet/icmp6.h>
#include <sys/socket.h>
#include <sched.h>
#include <sys/stat.h>
#include <sys/un.h>
#include <stddef.h>
#include <linux/if_packet.h>
#include <linux/if_ether.h>
#include <linux/icmp.h>
#include <linux/filter.h>

#define CHECK_NAPI(env, call)                                            \
  do {                                                                   \
    if ((call) != napi_ok) {                                             \
      napi_throw_error((env), "KTS_NATIVE_NAPI", "Node-API call failed: " #call); \
      return NULL;                                                       \
    }                                                                    \
  } while (0)

static napi_value throw_errno(napi_env env, const char *syscall, int err) {
  char msg[256];
  snprintf(msg, sizeof msg, "%s: %s", syscall, strerror(err));
  napi_value code, message, error, sys, errnum;
  napi_create_string_utf8(env, uv_err_name(-err), NAPI_AUTO_LENGTH, &code);
  napi_create_string_utf8(env, msg, NAPI_AUTO_LENGTH, &message);
  napi_create_error(env, code, message, &error);
  napi_create_string_utf8(env, syscall, NAPI_AUTO_LENGTH, &sys);
  napi_set_named_property(env, error, "syscall", sys);
  napi_create_int32(env, err, &errnum);
  napi_set_named_property(env, error, "errno", errnum);
  napi_throw(env, error);
  return NULL;
}

static napi_value throw_type(napi_env env, const char *msg) {
  napi_throw_type_error(env, "KTS_NATIVE_ARG", msg);
  return NULL;
}

static int get_args(napi_env env, napi_callback_info info, size_t want, napi_value *argv) {
  size_t argc = want;
  if (napi_get_cb_info(env, info, &argc, argv, NULL, NULL) != napi_ok) return -1;
  if (argc < want) {
    napi_throw_type_error(env, "KTS_NATIVE_ARG", "missing arguments");
    return -1;
  }
  return 0;
}

static int get_i32(napi_env env, napi_value v, int32_t *out) {
  if (napi_get_value_int32(env, v, out) != napi_ok) {
    napi_throw_type_error(env, "KTS_NATIVE_ARG", "expected a number");
    return -1;
  }
  return 0;
}

/* Buffer or any TypedArray/Uint8Array view. */
static int get_bytes(napi_env env, napi_value v, void **data, size_t *len) {
  bool is_buf = false;
  napi_is_buffer(env, v, &is_buf);
  if (is_buf) return napi_get_buffer_info(env, v, data, len) == napi_ok ? 0 : -1;
  bool is_ta = false;
  napi_is_typedarray(env, v, &is_ta);
  if (is_ta) {
    napi_typedarray_type t;
    size_t n, off;
    napi_value ab;
    if (napi_get_typedarray_info(env, v, &t, &n, data, &ab, &off) != napi_ok) return -1;
    if (t != napi_uint8_array) {
      napi_throw_type_error(env, "KTS_NATIVE_ARG", "expected a Uint8Array");
      return -1;
    }
    *len = n;
    return 0;
  }
  napi_throw_type_error(env, "KTS_NATIVE_ARG", "expected a Buffer or Uint8Array");
  return -1;
}

static napi_value make_i32(napi_env env, int32_t v) {
  napi_value out;
  napi_create_int32(env, v, &out);
  return out;
}

/* packetOpen(): fd. AF_PACKET/SOCK_RAW with protocol 0: transmit only, receives nothing. */
static napi_value packet_open(napi_env env, napi_callback_info info) {
  int fd = socket(AF_PACKET, SOCK_RAW | SOCK_NONBLOCK | SOCK_CLOEXEC, 0);
  if (fd < 0) return throw_errno(env, "socket(AF_PACKET)", errno);
  return make_i32(env, fd);
}

/* packetSend(fd, ifindex, frame): bytes sent. The frame starts with the Ethernet header. */
static napi_value packet_send(napi_env env, napi_callback_info info) {
  napi_value argv[3];
  int32_t fd, ifindex;
  void *data;
  size_t len;
  if (get_args(env, info, 3, argv) || get_i32(env, argv[0], &fd) || get_i32(env, argv[1], &ifindex) ||
      get_bytes(env, argv[2], &data, &len))
    return NULL;
  if (len < ETH_HLEN) return throw_type(env, "frame shorter than an Ethernet header");
  const unsigned char *frame = data;
  struct sockaddr_ll sll;
  memset(&sll, 0, sizeof sll);
  sll.sll_family = AF_PACKET;
  sll.sll_ifindex = ifindex;
  sll.sll_protocol = (unsigned short)((frame[12] << 8) | frame[13]);
  sll.sll_protocol = htons(sll.sll_protocol);
  sll.sll_halen = ETH_ALEN;
  memcpy(sll.sll_addr, frame, ETH_ALEN);
  ssize_t rc = sendto(fd, data, len, 0, (struct sockaddr *)&sll, sizeof sll);
  if (rc < 0) return throw_errno(env, "sendto(AF_PACKET)", errno);
  return make_i32(env, (int32_t)rc);
}

/* ifNameToIndex(name): ifindex, 0 if there is no such interface. */
static napi_value if_name_to_index(napi_env env, napi_callback_info info) {
  napi_value argv[1];
  char name[IF_NAMESIZE + 1];
  size_t n;
  if (get_args(env, info, 1, argv)) return NULL;
  if (napi_get_value_string_utf8(env, argv[0], name, sizeof name, &n) != napi_ok)
    return throw_type(env, "expected an interface name");
  return make_i32(env, (int32_t)if_nametoindex(name));
}

/* rawOpen(family 4|6, protocol): non-blocking raw socket fd. */
static napi_value raw_open(napi_env env, napi_callback_info info) {
  napi_value argv[2];
  int32_t family, protocol;
  if (get_args(env, info, 2, argv) || get_i32(env, argv[0], &family) || get_i32(env, argv[1], &protocol))
    return NULL;
  int fd = socket(family == 6 ? AF_INET6 : AF_INET, SOCK_RAW | SOCK_NONBLOCK | SOCK_CLOEXEC, protocol);
  if (fd < 0) return throw_errno(env, "socket(SOCK_RAW)", errno);
  return make_i32(env, fd);
}

/*
 * icmpEchoOpen(family 4|6): { fd, raw }. A non-blocking SOCK_DGRAM/IPPROTO_ICMP(V6) socket when
 * net.ipv4.ping_group_range admits our gid (raw = false: no IP header on receive, the kernel sets
 * the echo id and delivers only our replies), else SOCK_RAW (raw = true: IPv4 receives start with
 * the IP header; every host's echo replies arrive, other ICMP types are filtered out).
 */
static napi_value icmp_echo_open(napi_env env, napi_callback_info info) {
  napi_value argv[1];
  int32_t family;
  if (get_args(env, info, 1, argv) || get_i32(env, argv[0], &family)) return NULL;
  if (family != 4 && family != 6) return throw_type(env, "family must be 4 or 6");
  int af = family == 6 ? AF_INET6 : AF_INET;
  int proto = family == 6 ? IPPROTO_ICMPV6 : IPPROTO_ICMP;
  bool raw = false;
  int fd = socket(af, SOCK_DGRAM | SOCK_NONBLOCK | SOCK_CLOEXEC, proto);
  if (fd < 0 && (errno == EACCES || errno == EPERM || errno == EPROTONOSUPPORT)) {
    raw = true;
    fd = socket(af, SOCK_RAW | SOCK_NONBLOCK | SOCK_CLOEXEC, proto);
  }
  if (fd < 0) return throw_errno(env, raw ? "socket(SOCK_RAW, ICMP)" : "socket(SOCK_DGRAM, ICMP)", errno);
  if (raw && family == 4) {
    struct icmp_filter filter = {.data = ~(1U << ICMP_ECHOREPLY)}; /* set bits are blocked types */
    if (setsockopt(fd, SOL_RAW, ICMP_FILTER, &filter, sizeof filter) < 0) {
      int err = errno;
      close(fd);
      return throw_errno(env, "setsockopt(ICMP_FILTER)", err);
    }
  }
  if (raw && family == 6) {
    struct icmp6_filter filter;
    ICMP6_FILTER_SETBLOCKALL(&filter);
    ICMP6_FILTER_SETPASS(ICMP6_ECHO_REPLY, &filter);
    if (setsockopt(fd, IPPROTO_ICMPV6, ICMP6_FILTER, &filter, sizeof filter) < 0) {
      int err = errno;
      close(fd);
      return throw_errno(env, "setsockopt(ICMP6_FILTER)", err);
    }
  }
  napi_value out, rawv;
  napi_create_object(env, &out);
  napi_set_named_property(env, out, "fd", make_i32(env, fd));
  napi_get_boolean(env, raw, &rawv);
  napi_set_named_property(env, out, "raw", rawv);
  return out;
}

/* setSockOpt(fd, level, option, value: Buffer): the caller builds the option's C struct bytes. */
static napi_value set_sock_opt(napi_env env, napi_callback_info info) {
  napi_value argv[4];
  int32_t fd, level, opt;
  void *data;
  size_t len;
  if (get_args(env, info, 4, argv) || get_i32(env, argv[0], &fd) || get_i32(env, argv[1], &level) ||
      get_i32(env, argv[2], &opt) || get_bytes(env, argv[3], &data, &len))
    return NULL;
  if (setsockopt(fd, level, opt, data, (socklen_t)len) < 0) return throw_errno(env, "setsockopt", errno);
  return NULL;
}

/*
 * attachFilter(fd, program: Buffer): SO_ATTACH_FILTER with a classic BPF program given as struct
 * sock_filter entries (8 bytes each, host byte order). Native because struct sock_fprog holds a pointer,
 * which setSockOpt's byte buffer cannot express. Lets a raw socket drop in the kernel what it does not
 * want (e.g. every UDP datagram that is not BFD) instead of copying it into JS.
 */
static napi_value attach_filter(napi_env env, napi_callback_info info) {
  napi_value argv[2];
  int32_t fd;
  void *data;
  size_t len;
  if (get_args(env, info, 2, argv) || get_i32(env, argv[0], &fd) || get_bytes(env, argv[1], &data, &len)) return NULL;
  if (len == 0 || len % sizeof(struct sock_filter) != 0 || len / sizeof(struct sock_filter) > BPF_MAXINSNS)
    return throw_type(env, "BPF program must be 1..4096 sock_filter entries of 8 bytes");
  struct sock_fprog prog;
  prog.len = (unsigned short)(len / sizeof(struct sock_filter));
  prog.filter = (struct sock_filter *)data;
  if (setsockopt(fd, SOL_SOCKET, SO_ATTACH_FILTER, &prog, sizeof prog) < 0) return throw_errno(env, "setsockopt", errno);
  return NULL;
}

static int fill_sockaddr(napi_env env, napi_value addr_v, int32_t scope, struct sockaddr_storage *ss,
                         socklen_t *sl) {
  void *addr;
  size_t alen;
  if (get_bytes(env, addr_v, &addr, &alen)) return -1;
  memset(ss, 0, sizeof *ss);
  if (alen == 4) {
    struct sockaddr_in *sin = (struct sockaddr_in *)ss;
    sin->sin_family = AF_INET;
    memcpy(&sin->sin_addr, addr, 4);
    *sl = sizeof *sin;
  } else if (alen == 16) {
    struct sockaddr_in6 *sin6 = (struct sockaddr_in6 *)ss;
    sin6->sin6_family = AF_INET6;
    memcpy(&sin6->sin6_addr, addr, 16);
    sin6->sin6_scope_id = (uint32_t)scope;
    *sl = sizeof *sin6;
  } else {
    napi_throw_type_error(env, "KTS_NATIVE_ARG", "address must be 4 or 16 bytes");
    return -1;
  }
  return 0;
}

/* bindAddress(fd, address bytes, scopeId): bind() a source address (IPv6 link-local needs scope). */
static napi_value bind_address(napi_env env, napi_callback_info info) {
  napi_value argv[3];
  int32_t fd, scope;
  struct sockaddr_storage ss;
  socklen_t sl;
  if (get_args(env, info, 3, argv) || get_i32(env, argv[0], &fd) || get_i32(env, argv[2], &scope) ||
      fill_sockaddr(env, argv[1], scope, &ss, &sl))
    return NULL;
  if (bind(fd, (struct sockaddr *)&ss, sl) < 0) return throw_errno(env, "bind", errno);
  return NULL;
}

/* sendTo(fd, payload, destination bytes, scopeId): bytes sent. */
static napi_value send_to(napi_env env, napi_callback_info info) {
  napi_value argv[4];
  int32_t fd, scope;
  void *data;
  size_t len;
  struct sockaddr_storage ss;
  socklen_t sl;
  if (get_args(env, info, 4, argv) || get_i32(env, argv[0], &fd) || get_bytes(env, argv[1], &data, &len) ||
      get_i32(env, argv[3], &scope) || fill_sockaddr(env, argv[2], scope, &ss, &sl))
    return NULL;
  ssize_t rc = sendto(fd, data, len, 0, (struct sockaddr *)&ss, sl);
  if (rc < 0) return throw_errno(env, "sendto", errno);
  return make_i32(env, (int32_t)rc);
}

static void set_str(napi_env env, napi_value obj, const char *key, const char *val) {
  napi_value v;
  napi_create_string_utf8(env, val, NAPI_AUTO_LENGTH, &v);
  napi_set_named_property(env, obj, key, v);
}

static void set_i32(napi_env env, napi_value obj, const char *key, int32_t val) {
  napi_set_named_property(env, obj, key, make_i32(env, val));
}

/*
 * recvMsg(fd, buffer): undefined when nothing is queued (EAGAIN), else
 * { length, source, destination?, ifindex?, hopLimit?, ttl?, truncated }.
 * For IPv6 enable IPV6_RECVPKTINFO and IPV6_RECVHOPLIMIT first; for IPv4, IP_PKTINFO and IP_RECVTTL.
 */
static napi_value recv_msg(napi_env env, napi_callback_info info) {
  napi_value argv[2];
  int32_t fd;
  void *data;
  size_t len;
  if (get_args(env, info, 2, argv) || get_i32(env, argv[0], &fd) || get_bytes(env, argv[1], &data, &len))
    return NULL;
  struct sockaddr_storage from;
  union {
    struct cmsghdr align;
    char buf[256];
  } control;
  struct iovec iov = {.iov_base = data, .iov_len = len};
  struct msghdr msg;
  memset(&msg, 0, sizeof msg);
  msg.msg_name = &from;
  msg.msg_namelen = sizeof from;
  msg.msg_iov = &iov;
  msg.msg_iovlen = 1;
  msg.msg_control = control.buf;
  msg.msg_controllen = sizeof control.buf;
  ssize_t rc;
  do {
    rc = recvmsg(fd, &msg, 0);
  } while (rc < 0 && errno == EINTR);
  if (rc < 0) {
    if (errno == EAGAIN || errno == EWOULDBLOCK) {
      napi_value undef;
      napi_get_undefined(env, &undef);
      return undef;
    }
    return throw_errno(env, "recvmsg", errno);
  }
  napi_value out;
  char text[INET6_ADDRSTRLEN];
  napi_create_object(env, &out);
  set_i32(env, out, "length", (int32_t)rc);
  napi_value trunc;
  napi_get_boolean(env, (msg.msg_flags & MSG_TRUNC) != 0, &trunc);
  napi_set_named_property(env, out, "truncated", trunc);
  if (from.ss_family == AF_INET6) {
    inet_ntop(AF_INET6, &((struct sockaddr_in6 *)&from)->sin6_addr, text, sizeof text);
    set_str(env, out, "source", text);
  } else if (from.ss_family == AF_INET) {
    inet_ntop(AF_INET, &((struct sockaddr_in *)&from)->sin_addr, text, sizeof text);
    set_str(env, out, "source", text);
  }
  for (struct cmsghdr *c = CMSG_FIRSTHDR(&msg); c != NULL; c = CMSG_NXTHDR(&msg, c)) {
    if (c->cmsg_level == IPPROTO_IPV6 && c->cmsg_type == IPV6_PKTINFO) {
      struct in6_pktinfo pi;
      memcpy(&pi, CMSG_DATA(c), sizeof pi);
      inet_ntop(AF_INET6, &pi.ipi6_addr, text, sizeof text);
      set_str(env, out, "destination", text);
      set_i32(env, out, "ifindex", (int32_t)pi.ipi6_ifindex);
    } else if (c->cmsg_level == IPPROTO_IPV6 && c->cmsg_type == IPV6_HOPLIMIT) {
      int hl;
      memcpy(&hl, CMSG_DATA(c), sizeof hl);
      set_i32(env, out, "hopLimit", hl);
    } else if (c->cmsg_level == IPPROTO_IP && c->cmsg_type == IP_PKTINFO) {
      struct in_pktinfo pi;
      memcpy(&pi, CMSG_DATA(c), sizeof pi);
      inet_ntop(AF_INET, &pi.ipi_addr, text, sizeof text);
      set_str(env, out, "destination", text);
      set_i32(env, out, "ifindex", (int32_t)pi.ipi_ifindex);
    } else if (c->cmsg_level == IPPROTO_IP && c->cmsg_type == IP_TTL) {
      int ttl;
      memcpy(&ttl, CMSG_DATA(c), sizeof ttl);
      set_i32(env, out, "ttl", ttl);
    }
  }
  return out;
}

/* closeFd(fd) */
static napi_value close_fd(napi_env env, napi_callback_info info) {
  napi_value argv[1];
  int32_t fd;
  if (get_args(env, info, 1, argv) || get_i32(env, argv[0], &fd)) return NULL;
  if (close(fd) < 0) return throw_errno(env, "close", errno);
  return NULL;
}

/* mkfifo(path, mode): throws EEXIST if the path exists. */
static napi_value make_fifo(napi_env env, napi_callback_info info) {
  napi_value argv[2];
  char path[4096];
  size_t n;
  int32_t mode;
  if (get_args(env, info, 2, argv) || get_i32(env, argv[1], &mode)) return NULL;
  if (napi_get_value_string_utf8(env, argv[0], path, sizeof path, &n) != napi_ok || n >= sizeof path - 1)
    return throw_type(env, "expected a path");
  if (mkfifo(path, (mode_t)mode) < 0) return throw_errno(env, "mkfifo", errno);
  return NULL;
}

/* setNetns(fd): move the calling thread into the network namespace open at fd. */
static napi_value set_netns(napi_env env, napi_callback_info info) {
  napi_value argv[1];
  int32_t fd;
  if (get_args(env, info, 1, argv) || get_i32(env, argv[0], &fd)) return NULL;
  if (setns(fd, CLONE_NEWNET) < 0) return throw_errno(env, "setns", errno);
  return NULL;
}

/* ---- AF_UNIX datagrams (sd_notify) ---- */

/* "/path" or "@abstract" (leading NUL on the wire, no terminator, as systemd does). */
static int fill_sockaddr_un(napi_env env, napi_value v, struct sockaddr_un *sun, socklen_t *sl) {
  char path[512];
  size_t n;
  if (napi_get_value_string_utf8(env, v, path, sizeof path, &n) != napi_ok) {
    napi_throw_type_error(env, "KTS_NATIVE_ARG", "expected a unix socket path");
    return -1;
  }
  memset(sun, 0, sizeof *sun);
  sun->sun_family = AF_UNIX;
  if (n == 0 || (path[0] == '@' && n == 1)) {
    napi_throw_type_error(env, "KTS_NATIVE_ARG", "empty unix socket path");
    return -1;
  }
  /* abstract: NUL + (n-1) name bytes must fit in sun_path; file: n bytes + NUL terminator. */
  if (n > sizeof sun->sun_path - (path[0] == '@' ? 0 : 1)) {
    napi_throw_type_error(env, "KTS_NATIVE_ARG", "unix socket path too long");
    return -1;
  }
  if (path[0] == '@') {
    sun->sun_path[0] = '\0';
    memcpy(sun->sun_path + 1, path + 1, n - 1);
    *sl = (socklen_t)(offsetof(struct sockaddr_un, sun_path) + n);
  } else {
    memcpy(sun->sun_path, path, n);
    *sl = (socklen_t)(offsetof(struct sockaddr_un, sun_path) + n + 1);
  }
  return 0;
}

/* unixDgramSend(path, data): bytes sent. One-shot socket; non-blocking (EAGAIN if the peer queue is full). */
static napi_value unix_dgram_send(napi_env env, napi_callback_info info) {
  napi_value argv[2];
  void *data;
  size_t len;
  struct sockaddr_un sun;
  socklen_t sl;
  if (get_args(env, info, 2, argv) || fill_sockaddr_un(env, argv[0], &sun, &sl) || get_bytes(env, argv[1], &data, &len))
    return NULL;
  int fd = socket(AF_UNIX, SOCK_DGRAM | SOCK_NONBLOCK | SOCK_CLOEXEC, 0);
  if (fd < 0) return throw_errno(env, "socket(AF_UNIX)", errno);
  ssize_t rc;
  do {
    rc = sendto(fd, data, len, MSG_NOSIGNAL, (struct sockaddr *)&sun, sl);
  } while (rc < 0 && errno == EINTR);
  int err = errno;
  close(fd);
  if (rc < 0) return throw_errno(env, "sendto(AF_UNIX)", err);
  return make_i32(env, (int32_t)rc);
}

/* unixDgramBind(path): non-blocking AF_UNIX datagram fd bound to path (or "@abstract"). */
static napi_value unix_dgram_bind(napi_env env, napi_callback_info info) {
  napi_value argv[1];
  struct sockaddr_un sun;
  socklen_t sl;
  if (get_args(env, info, 1, argv) || fill_sockaddr_un(env, argv[0], &sun, &sl)) return NULL;
  int fd = socket(AF_UNIX, SOCK_DGRAM | SOCK_NONBLOCK | SOCK_CLOEXEC, 0);
  if (fd < 0) return throw_errno(env, "socket(AF_UNIX)", errno);
  if (bind(fd, (struct sockaddr *)&sun, sl) < 0) {
    int err = errno;
    close(fd);
    return throw_errno(env, "bind(AF_UNIX)", err);
  }
  return make_i32(env, fd);
}

/* unixDgramRecv(fd, buffer): datagram length (bytes written into buffer), undefined when none is queued. */
static napi_value unix_dgram_recv(napi_env env, napi_callback_info info) {
  napi_value argv[2];
  int32_t fd;
  void *data;
  size_t len;
  if (get_args(env, info, 2, argv) || get_i32(env, argv[0], &fd) || get_bytes(env, argv[1], &data, &len)) return NULL;
  ssize_t rc;
  do {
    rc = recv(fd, data, len, 0);
  } while (rc < 0 && errno == EINTR);
  if (rc < 0) {
    if (errno == EAGAIN || errno == EWOULDBLOCK) {
      napi_value undef;
      napi_get_undefined(env, &undef);
      return undef;
    }
    return throw_errno(env, "recv(AF_UNIX)", errno);
  }
  return make_i32(env, (int32_t)rc);
}

/* ---- readability poller: pollStart(fd, callback) -> handle; pollStop(handle) ---- */

typedef struct {
  uv_poll_t handle;
  napi_env env;
  napi_ref callback;
  napi_async_context async;
  napi_async_cleanup_hook_handle cleanup;
  int stopped;
} kts_poller;

static void poller_closed(uv_handle_t *h) { free(h->data); }

/* Environment teardown (a worker thread ending with a poller still started): close the uv handle
 * before libuv's loop is closed, and only then let the teardown continue. */
static void poller_closed_at_teardown(uv_handle_t *h) {
  kts_poller *p = h->data;
  napi_remove_async_cleanup_hook(p->cleanup);
  free(p);
}

static void poller_teardown(napi_async_cleanup_hook_handle handle, void *arg) {
  kts_poller *p = arg;
  p->stopped = 1;
  uv_poll_stop(&p->handle);
  uv_close((uv_handle_t *)&p->handle, poller_closed_at_teardown);
}

static void poller_ready(uv_poll_t *h, int status, int events) {
  kts_poller *p = h->data;
  if (p->stopped) return;
  napi_env env = p->env;
  napi_handle_scope scope;
  if (napi_open_handle_scope(env, &scope) != napi_ok) return;
  napi_value cb, recv, arg;
  napi_get_reference_value(env, p->callback, &cb);
  napi_get_global(env, &recv); /* MakeCallback needs an object receiver */
  napi_create_int32(env, status, &arg);
  napi_status st = napi_make_callback(env, p->async, recv, cb, 1, &arg, NULL);
  if (st == napi_pending_exception) {
    napi_value exc;
    napi_get_and_clear_last_exception(env, &exc);
    napi_fatal_exception(env, exc);
  }
  napi_close_handle_scope(env, scope);
}

static void poller_stop(kts_poller *p) {
  if (p->stopped) return;
  p->stopped = 1;
  napi_remove_async_cleanup_hook(p->cleanup);
  uv_poll_stop(&p->handle);
  napi_delete_reference(p->env, p->callback);
  napi_async_destroy(p->env, p->async);
  uv_close((uv_handle_t *)&p->handle, poller_closed);
}

static napi_value poll_start(napi_env env, napi_callback_info info) {
  napi_value argv[2];
  int32_t fd;
  if (get_args(env, info, 2, argv) || get_i32(env, argv[0], &fd)) return NULL;
  napi_valuetype t;
  napi_typeof(env, argv[1], &t);
  if (t != napi_function) return throw_type(env, "expected a callback");
  struct uv_loop_s *loop;
  CHECK_NAPI(env, napi_get_uv_event_loop(env, &loop));
  kts_poller *p = calloc(1, sizeof *p);
  if (p == NULL) return throw_errno(env, "calloc", ENOMEM);
  p->env = env;
  p->handle.data = p;
  int rc = uv_poll_init(loop, &p->handle, fd);
  if (rc != 0) {
    free(p);
    return throw_errno(env, "uv_poll_init", -rc);
  }
  napi_value name;
  napi_create_string_utf8(env, "KtsRawSocketPoll", NAPI_AUTO_LENGTH, &name);
  napi_async_init(env, NULL, name, &p->async);
  napi_create_reference(env, argv[1], 1, &p->callback);
  napi_add_async_cleanup_hook(env, poller_teardown, p, &p->cleanup);
  rc = uv_poll_start(&p->handle, UV_READABLE, poller_ready);
  if (rc != 0) {
    poller_stop(p);
    return throw_errno(env, "uv_poll_start", -rc);
  }
  napi_value ext;
  napi_create_external(env, p, NULL, NULL, &ext);
  return ext;
}

static napi_value poll_stop(napi_env env, napi_callback_info info) {
  napi_value argv[1];
  kts_poller *p;
  if (get_args(env, info, 1, argv)) return NULL;
  if (napi_get_value_external(env, argv[0], (void **)&p) != napi_ok || p == NULL)
    return throw_type(env, "expected a poll handle");
  poller_stop(p);
  return NULL;
}

static napi_value poll_ref(napi_env env, napi_callback_info info) {
  napi_value argv[2];
  kts_poller *p;
  bool ref;
  if (get_args(env, info, 2, argv)) return NULL;
  if (napi_get_value_external(env, argv[0], (void **)&p) != napi_ok || p == NULL)
    return throw_type(env, "expected a poll handle");
  napi_get_value_bool(env, argv[1], &ref);
  if (!p->stopped) {
    if (ref) uv_ref((uv_handle_t *)&p->handle);
    else uv_unref((uv_handle_t *)&p->handle);
  }
  return NULL;
}

/* ---- real-time signals: rtSignalsOpen(signals[]) -> read fd; rtSignalsIgnore(signals[]) ---- */

/* Write end of the self-pipe, -1 until rtSignalsOpen(); only ever set once (never closed, so a
 * handler running on another thread can never write to a recycled fd). */
static volatile sig_atomic_t rt_pipe_write_fd = -1;
static int rt_pipe_read_fd = -1;

static void rt_signal_handler(int signo) {
  int saved = errno;
  unsigned char byte = (unsigned char)signo;
  int fd = rt_pipe_write_fd;
  /* Non-blocking: if JavaScript stopped reading and the pipe is full, the signal is dropped. */
  if (fd >= 0) {
    ssize_t rc = write(fd, &byte, 1);
    (void)rc;
  }
  errno = saved;
}

/* Reads a JS array of signal numbers, each within SIGRTMIN..SIGRTMAX. */
static int get_rt_signals(napi_env env, napi_value arr, int *out, uint32_t max, uint32_t *count) {
  bool is_array = false;
  napi_is_array(env, arr, &is_array);
  if (!is_array) {
    napi_throw_type_error(env, "KTS_NATIVE_ARG", "expected an array of signal numbers");
    return -1;
  }
  uint32_t n;
  if (napi_get_array_length(env, arr, &n) != napi_ok || n > max) {
    napi_throw_type_error(env, "KTS_NATIVE_ARG", "too many signals");
    return -1;
  }
  for (uint32_t i = 0; i < n; i++) {
    napi_value v;
    int32_t sig;
    if (napi_get_element(env, arr, i, &v) != napi_ok || get_i32(env, v, &sig)) return -1;
    if (sig < SIGRTMIN || sig > SIGRTMAX) {
      napi_throw_range_error(env, "KTS_NATIVE_ARG", "not a real-time signal number (SIGRTMIN..SIGRTMAX)");
      return -1;
    }
    out[i] = sig;
  }
  *count = n;
  return 0;
}

/*
 * rtSignalsOpen(signals): installs the self-pipe handler for each real-time signal and returns the
 * pipe's non-blocking read end (the same fd on every call; one byte = one signal number).
 */
static napi_value rt_signals_open(napi_env env, napi_callback_info info) {
  napi_value argv[1];
  int sigs[64];
  uint32_t n;
  if (get_args(env, info, 1, argv) || get_rt_signals(env, argv[0], sigs, 64, &n)) return NULL;
  if (rt_pipe_read_fd < 0) {
    int fds[2];
    if (pipe2(fds, O_NONBLOCK | O_CLOEXEC) < 0) return throw_errno(env, "pipe2", errno);
    rt_pipe_read_fd = fds[0];
    rt_pipe_write_fd = fds[1];
  }
  for (uint32_t i = 0; i < n; i++) {
    struct sigaction sa;
    memset(&sa, 0, sizeof sa);
    sa.sa_handler = rt_signal_handler;
    sa.sa_flags = SA_RESTART;
    sigemptyset(&sa.sa_mask);
    if (sigaction(sigs[i], &sa, NULL) < 0) return throw_errno(env, "sigaction", errno);
  }
  return make_i32(env, rt_pipe_read_fd);
}

/* rtSignalsIgnore(signals): SIG_IGN for each (not SIG_DFL, whose action would terminate the process). */
static napi_value rt_signals_ignore(napi_env env, napi_callback_info info) {
  napi_value argv[1];
  int sigs[64];
  uint32_t n;
  if (get_args(env, info, 1, argv) || get_rt_signals(env, argv[0], sigs, 64, &n)) return NULL;
  for (uint32_t i = 0; i < n; i++) {
    struct sigaction sa;
    memset(&sa, 0, sizeof sa);
    sa.sa_handler = SIG_IGN;
    sigemptyset(&sa.sa_mask);
    if (sigaction(sigs[i], &sa, NULL) < 0) return throw_errno(env, "sigaction", errno);
  }
  return NULL;
}

static napi_value init(napi_env env, napi_value exports) {
  napi_property_descriptor props[] = {
      {"packetOpen", NULL, packet_open, NULL, NULL, NULL, napi_enumerable, NULL},
      {"packetSend", NULL, packet_send, NULL, NULL, NULL, napi_enumerable, NULL},
      {"ifNameToIndex", NULL, if_name_to_index, NULL, NULL, NULL, napi_enumerable, NULL},
      {"rawOpen", NULL, raw_open, NULL, NULL, NULL, napi_enumerable, NULL},
      {"icmpEchoOpen", NULL, icmp_echo_open, NULL, NULL, NULL, napi_enumerable, NULL},
      {"setSockOpt", NULL, set_sock_opt, NULL, NULL, NULL, napi_enumerable, NULL},
      {"attachFilter", NULL, attach_filter, NULL, NULL, NULL, napi_enumerable, NULL},
      {"bindAddress", NULL, bind_address, NULL, NULL, NULL, napi_enumerable, NULL},
      {"sendTo", NULL, send_to, NULL, NULL, NULL, napi_enumerable, NULL},
      {"recvMsg", NULL, recv_msg, NULL, NULL, NULL, napi_enumerable, NULL},
      {"closeFd", NULL, close_fd, NULL, NULL, NULL, napi_enumerable, NULL},
      {"pollStart", NULL, poll_start, NULL, NULL, NULL, napi_enumerable, NULL},
      {"pollStop", NULL, poll_stop, NULL, NULL, NULL, napi_enumerable, NULL},
      {"mkfifo", NULL, make_fifo, NULL, NULL, NULL, napi_enumerable, NULL},
      {"setNetns", NULL, set_netns, NULL, NULL, NULL, napi_enumerable, NULL},
      {"pollRef", NULL, poll_ref, NULL, NULL, NULL, napi_enumerable, NULL},
      {"unixDgramSend", NULL, unix_dgram_send, NULL, NULL, NULL, napi_enumerable, NULL},
      {"unixDgramBind", NULL, unix_dgram_bind, NULL, NULL, NULL, napi_enumerable, NULL},
      {"unixDgramRecv", NULL, unix_dgram_recv, NULL, NULL, NULL, napi_enumerable, NULL},
      {"rtSignalsOpen", NULL, rt_signals_open, NULL, NULL, NULL, napi_enumerable, NULL},
      {"rtSignalsIgnore", NULL, rt_signals_ignore, NULL, NULL, NULL, napi_enumerable, NULL},
  };
  napi_define_properties(env, exports, sizeof props / sizeof props[0], props);
  return exports;
}

NAPI_MODULE(NODE_GYP_MODULE_NAME, init)
