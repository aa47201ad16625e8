/*
 * Bench only (bench/sip-latency.bench.ts --evapi-nodelay): LD_PRELOAD into Kamailio so that
 * every TCP connection it accepts has TCP_NODELAY, as if the evapi module set it.
 * Kamailio 5.6's evapi sets only SO_KEEPALIVE on the router's connection, so Nagle holds an
 * event while the previous one is unacknowledged, and the router's kernel delays that ACK
 * (up to 40 ms on Linux) when the router has nothing to send back.
 *
 *   gcc -shared -fPIC -O2 -o tcp-nodelay-shim.so tcp-nodelay-shim.c -ldl
 */
#define _GNU_SOURCE
#include <dlfcn.h>
#include <netinet/in.h>
#include <netinet/tcp.h>
#include <sys/socket.h>

static void nodelay(int fd)
{
	int type = 0, one = 1;
	socklen_t len = sizeof(type);
	if (fd >= 0 && getsockopt(fd, SOL_SOCKET, SO_TYPE, &type, &len) == 0 && type == SOCK_STREAM)
		setsockopt(fd, IPPROTO_TCP, TCP_NODELAY, &one, sizeof(one));
}

int accept(int fd, struct sockaddr *addr, socklen_t *len)
{
	static int (*real)(int, struct sockaddr *, socklen_t *);
	if (!real) real = (int (*)(int, struct sockaddr *, socklen_t *))dlsym(RTLD_NEXT, "accept");
	int c = real(fd, addr, len);
	nodelay(c);
	return c;
}

int accept4(int fd, struct sockaddr *addr, socklen_t *len, int flags)
{
	static int (*real)(int, struct sockaddr *, socklen_t *, int);
	if (!real) real = (int (*)(int, struct sockaddr *, socklen_t *, int))dlsym(RTLD_NEXT, "accept4");
	int c = real(fd, addr, len, flags);
	nodelay(c);
	return c;
}
