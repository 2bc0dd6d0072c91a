/* The lab's c-ares test service (lab/services/cares-app.sh builds and runs it): a one-thread
 * event-loop HTTP server on port 8085 whose only resolver is ONE c-ares channel, created at start
 * with ares_init_options and used for every lookup, as a daemon built on c-ares holds it. Its
 * memory layout is nobody's known one (not pgbouncer's, not Node's): cutover finds its channel by
 * a breakpoint while a request makes it resolve.
 *   GET /resolve?name=NAME  ares_gethostbyname on that channel: 200 and the first address, 502
 *                           when NAME does not resolve
 *   GET anything else       200 "ok" (for the clients that measure the stall)
 * Clients keep their connections (HTTP/1.1 keep-alive); poll() waits for clients and for c-ares'
 * sockets (ares_getsock, ares_timeout, ares_process_fd). */
#include <ares.h>
#include <arpa/inet.h>
#include <netdb.h>
#include <netinet/in.h>
#include <poll.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <unistd.h>

#define MAXC 256
#define PORT 8085

struct client { int fd; unsigned gen; size_t len; char buf[4096]; };
struct lookup { int slot; unsigned gen; };

static struct client clients[MAXC];
static ares_channel channel;

static void reply(int fd, int code, const char *body) {
	char out[512];
	int n = snprintf(out, sizeof out, "HTTP/1.1 %d %s\r\nContent-Type: text/plain\r\nContent-Length: %zu\r\n\r\n%s",
		code, code == 200 ? "OK" : code == 502 ? "Bad Gateway" : "Bad Request", strlen(body), body);
	if (write(fd, out, (size_t)n) < 0) perror("write");
}

static void drop(int slot) {
	close(clients[slot].fd);
	clients[slot].fd = -1;
	clients[slot].gen++;
}

/* the answer goes to the client that asked, unless it has gone meanwhile */
static void resolved(void *arg, int status, int timeouts, struct hostent *h) {
	struct lookup *l = arg;
	char addr[INET6_ADDRSTRLEN + 2] = "", body[300];
	(void)timeouts;
	if (clients[l->slot].fd >= 0 && clients[l->slot].gen == l->gen) {
		if (status == ARES_SUCCESS && h && h->h_addr_list[0]) {
			inet_ntop(h->h_addrtype, h->h_addr_list[0], addr, sizeof addr);
			strcat(addr, "\n");
			reply(clients[l->slot].fd, 200, addr);
		} else {
			snprintf(body, sizeof body, "does not resolve: %s\n", ares_strerror(status));
			reply(clients[l->slot].fd, 502, body);
		}
	}
	free(l);
}

/* one request in the client's buffer: answered now, or once its lookup is done */
static void request(int slot) {
	struct client *c = &clients[slot];
	char *end = strstr(c->buf, "\r\n\r\n"), *name, *stop;
	struct lookup *l;
	size_t used;
	if (!end) return;
	used = (size_t)(end + 4 - c->buf);
	if (strncmp(c->buf, "GET /resolve?name=", 18) == 0) {
		name = c->buf + 18;
		stop = name + strcspn(name, " &\r\n");
		*stop = '\0';
		l = malloc(sizeof *l);
		if (!l) { reply(c->fd, 502, "out of memory\n"); }
		else { l->slot = slot; l->gen = c->gen; ares_gethostbyname(channel, name, AF_INET, resolved, l); }
	} else {
		reply(c->fd, 200, "ok\n");
	}
	memmove(c->buf, c->buf + used, c->len - used);
	c->len -= used;
	c->buf[c->len] = '\0';
}

int main(void) {
	struct ares_options opts;
	struct sockaddr_in sa;
	struct pollfd p[MAXC + 1 + ARES_GETSOCK_MAXNUM];
	ares_socket_t as[ARES_GETSOCK_MAXNUM];
	int lfd, one = 1, i, n, np, bits, st;
	struct timeval tv, *tvp;
	memset(&opts, 0, sizeof opts);
	if (ares_library_init(ARES_LIB_INIT_ALL) != ARES_SUCCESS || (st = ares_init_options(&channel, &opts, 0)) != ARES_SUCCESS) {
		fprintf(stderr, "c-ares init failed\n");
		return 1;
	}
	lfd = socket(AF_INET, SOCK_STREAM, 0);
	setsockopt(lfd, SOL_SOCKET, SO_REUSEADDR, &one, sizeof one);
	memset(&sa, 0, sizeof sa);
	sa.sin_family = AF_INET;
	sa.sin_port = htons(PORT);
	if (bind(lfd, (struct sockaddr *)&sa, sizeof sa) < 0 || listen(lfd, 64) < 0) { perror("listen"); return 1; }
	for (i = 0; i < MAXC; i++) clients[i].fd = -1;
	printf("cares-app: c-ares %s, port %d\n", ares_version(NULL), PORT);
	fflush(stdout);
	for (;;) {
		np = 0;
		p[np].fd = lfd; p[np++].events = POLLIN;
		for (i = 0; i < MAXC; i++) if (clients[i].fd >= 0) { p[np].fd = clients[i].fd; p[np++].events = POLLIN; }
		n = np;
		bits = ares_getsock(channel, as, ARES_GETSOCK_MAXNUM);
		for (i = 0; i < ARES_GETSOCK_MAXNUM; i++) {
			if (!ARES_GETSOCK_READABLE(bits, i) && !ARES_GETSOCK_WRITABLE(bits, i)) continue;
			p[np].fd = as[i];
			p[np++].events = (short)((ARES_GETSOCK_READABLE(bits, i) ? POLLIN : 0) | (ARES_GETSOCK_WRITABLE(bits, i) ? POLLOUT : 0));
		}
		tvp = ares_timeout(channel, NULL, &tv);
		st = poll(p, (nfds_t)np, tvp ? (int)(tv.tv_sec * 1000 + tv.tv_usec / 1000) : -1);
		if (st < 0) continue;
		for (i = n; i < np; i++)
			ares_process_fd(channel, p[i].revents & (POLLIN | POLLERR | POLLHUP) ? p[i].fd : ARES_SOCKET_BAD,
				p[i].revents & POLLOUT ? p[i].fd : ARES_SOCKET_BAD);
		if (st == 0) ares_process_fd(channel, ARES_SOCKET_BAD, ARES_SOCKET_BAD);
		if (p[0].revents & POLLIN) {
			int fd = accept(lfd, NULL, NULL);
			for (i = 0; fd >= 0 && i < MAXC && clients[i].fd >= 0; i++) ;
			if (fd >= 0 && i < MAXC) { clients[i].fd = fd; clients[i].len = 0; }
			else if (fd >= 0) close(fd);
		}
		for (i = 1; i < n; i++) {
			int slot;
			ssize_t r;
			if (!(p[i].revents & (POLLIN | POLLHUP | POLLERR))) continue;
			for (slot = 0; slot < MAXC && clients[slot].fd != p[i].fd; slot++) ;
			if (slot == MAXC) continue;
			r = read(p[i].fd, clients[slot].buf + clients[slot].len, sizeof clients[slot].buf - 1 - clients[slot].len);
			if (r <= 0) { drop(slot); continue; }
			clients[slot].len += (size_t)r;
			clients[slot].buf[clients[slot].len] = '\0';
			while (clients[slot].fd >= 0 && strstr(clients[slot].buf, "\r\n\r\n")) request(slot);
			if (clients[slot].len >= sizeof clients[slot].buf - 1) drop(slot);
		}
	}
}
