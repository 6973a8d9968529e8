{
  # keepalived-ts native addon (Node-API, plain C): AF_PACKET frame send for gratuitous ARP /
  # unsolicited NA, an IPv6 raw socket with recvmsg() ancillary data (hop limit, destination,
  # ifindex) that the raw-socket npm package cannot provide, AF_UNIX datagrams, setns, mkfifo and
  # real-time signal handlers (self-pipe), ICMP echo sockets (PING_CHECK). See src/io/native/kts_native.c.
  "targets": [
    {
      "target_name": "kts_native",
      "sources": ["src/io/native/kts_native.c"],
      "defines": ["NAPI_VERSION=8", "_GNU_SOURCE"],
      "cflags": ["-Wall", "-Wextra", "-Wno-unused-parameter", "-std=gnu11"]
    }
  ]
}
