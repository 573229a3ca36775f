/* Server-Sent Events subscribers for bench/status/run.py: COUNT connections to GET PATH on 127.0.0.1:PORT
 * (Accept: text/event-stream) on one epoll loop, each recording every event id it receives with the time
 * (CLOCK_MONOTONIC, the clock of Python's time.monotonic). HTTP/1.1 by hand: the status line and headers, the chunked
 * body, the events' `id:` lines. A subscriber the server closes (the zero chunk, or the connection ends) reconnects
 * with Last-Event-ID: its last id. The first RESUMERS leave during the run for GAP s and come back the same way.
 *
 * A compiled client because Python's asyncio cost about 17 us of CPU per event: at 1,000 subscribers x 100 events/s
 * it took a core the server needed on the 2-core machine.
 *
 * Usage: sse_client PORT PATH COUNT FIRST RESUMERS GAP OUTFILE
 * stdin:  "start T0 DURATION" (monotonic s), then "drain TARGET DEADLINE" (wait until every subscriber has TARGET or
 *         the DEADLINE passes, then close all and write OUTFILE).
 * stdout: "subscribed" once every subscriber's stream is open (the server registers it before it answers), "done".
 * OUTFILE, per subscriber: int32 index, closed by server, connections, errors; int64 count, last id before the gap
 *         (-1: none); double left, back; then count int64 ids and count doubles (receive times).
 */
#define _GNU_SOURCE
#include <arpa/inet.h>
#include <errno.h>
#include <fcntl.h>
#include <netinet/in.h>
#include <netinet/tcp.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <sys/epoll.h>
#include <sys/socket.h>
#include <time.h>
#include <unistd.h>

enum { CLOSED, CONNECTING, HEADERS, SIZE, DATA, DATA_END, AWAY };

typedef struct {
    int index, fd, state, subscribed, leaving, resumer;
    int closed_by_server, connections, errors;
    char head[8192];
    size_t head_len;
    char size_line[64];
    size_t size_len;
    size_t remaining;      /* bytes of the current chunk still to come */
    char *line;            /* the event stream's current line */
    size_t line_len, line_cap;
    int64_t pending_id;    /* the current event's id, until its blank line */
    int64_t last;          /* last id received (-1: none) */
    int64_t *ids;
    double *times;
    size_t count, cap;
    double reconnect_at;   /* > 0: connect again at this time */
    double leave_at;       /* resumer: when to leave */
    int64_t gap_before;
    double gap_left, gap_back;
} Sub;

static int port, epfd;
static const char *path;
static Sub *subs;
static int count;
static double gap;

static double now(void) {
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return ts.tv_sec + ts.tv_nsec / 1e9;
}

static void record(Sub *s, int64_t id, double t) {
    if (s->count == s->cap) {
        s->cap = s->cap ? s->cap * 2 : 1024;
        s->ids = realloc(s->ids, s->cap * sizeof *s->ids);
        s->times = realloc(s->times, s->cap * sizeof *s->times);
        if (!s->ids || !s->times) { perror("realloc"); exit(1); }
    }
    s->ids[s->count] = id;
    s->times[s->count] = t;
    s->count++;
    s->last = id;
}

static void open_connection(Sub *s) {
    int fd = socket(AF_INET, SOCK_STREAM | SOCK_NONBLOCK, 0);
    if (fd < 0) { perror("socket"); exit(1); }
    struct sockaddr_in addr = {.sin_family = AF_INET, .sin_port = htons(port)};
    addr.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
    int one = 1;
    setsockopt(fd, IPPROTO_TCP, TCP_NODELAY, &one, sizeof one);
    s->fd = fd;
    s->state = CONNECTING;
    s->head_len = s->size_len = s->remaining = s->line_len = 0;
    s->pending_id = -1;
    s->leaving = 0;
    s->connections++;
    s->reconnect_at = 0;
    struct epoll_event ev = {.events = EPOLLOUT, .data.ptr = s};
    if (connect(fd, (struct sockaddr *)&addr, sizeof addr) < 0 && errno != EINPROGRESS) {
        s->errors++;
        close(fd);
        s->fd = -1;
        s->state = CLOSED;
        s->reconnect_at = now() + 0.1;
        return;
    }
    epoll_ctl(epfd, EPOLL_CTL_ADD, fd, &ev);
}

/* The connection ends: by us (leaving) or by the server, then resumed after the last id in 50 ms. */
static void end_connection(Sub *s, int by_server) {
    if (s->fd >= 0) {
        epoll_ctl(epfd, EPOLL_CTL_DEL, s->fd, NULL);
        close(s->fd);
    }
    s->fd = -1;
    s->state = by_server ? CLOSED : AWAY;
    if (by_server) {
        s->closed_by_server++;
        s->reconnect_at = now() + 0.05;
    }
}

static void send_request(Sub *s) {
    char request[1024];
    int n;
    if (s->last >= 0)
        n = snprintf(request, sizeof request,
                     "GET %s HTTP/1.1\r\nHost: 127.0.0.1:%d\r\nAccept: text/event-stream\r\nLast-Event-ID: %lld\r\n\r\n",
                     path, port, (long long)s->last);
    else
        n = snprintf(request, sizeof request, "GET %s HTTP/1.1\r\nHost: 127.0.0.1:%d\r\nAccept: text/event-stream\r\n\r\n",
                     path, port);
    if (write(s->fd, request, n) != n) {
        s->errors++;
        end_connection(s, 1);
        return;
    }
    s->state = HEADERS;
    struct epoll_event ev = {.events = EPOLLIN, .data.ptr = s};
    epoll_ctl(epfd, EPOLL_CTL_MOD, s->fd, &ev);
}

/* Bytes of the event stream (the chunks' contents): lines; `id: N` sets the event's id, a blank line ends it. */
static void stream_bytes(Sub *s, const char *p, size_t n, double t) {
    while (n) {
        const char *nl = memchr(p, '\n', n);
        size_t take = nl ? (size_t)(nl - p) : n;
        /* Only the start of a line matters (`id: `): keep at most 32 bytes of it. */
        size_t keep = take;
        if (s->line_len + keep > 32) keep = s->line_len < 32 ? 32 - s->line_len : 0;
        if (s->line_len + keep > s->line_cap) {
            s->line_cap = 64;
            s->line = realloc(s->line, s->line_cap);
        }
        memcpy(s->line + s->line_len, p, keep);
        s->line_len += keep;
        if (!nl) return;
        if (s->line_len == 0) {
            if (s->pending_id >= 0) record(s, s->pending_id, t);
            s->pending_id = -1;
        } else if (s->line_len > 4 && memcmp(s->line, "id: ", 4) == 0) {
            int64_t id = 0;
            for (size_t i = 4; i < s->line_len && s->line[i] >= '0' && s->line[i] <= '9'; i++) id = id * 10 + (s->line[i] - '0');
            s->pending_id = id;
        }
        s->line_len = 0;
        p += take + 1;
        n -= take + 1;
    }
}

/* Bytes read from the connection: headers, then the chunked body. */
static void received(Sub *s, const char *p, size_t n, double t) {
    while (n) {
        switch (s->state) {
        case HEADERS: {
            size_t take = n < sizeof s->head - 1 - s->head_len ? n : sizeof s->head - 1 - s->head_len;
            memcpy(s->head + s->head_len, p, take);
            s->head_len += take;
            s->head[s->head_len] = 0;
            char *end = strstr(s->head, "\r\n\r\n");
            if (!end) {
                if (s->head_len == sizeof s->head - 1) { s->errors++; end_connection(s, 1); return; }
                return;
            }
            size_t used = (size_t)(end + 4 - s->head) - (s->head_len - take);
            *end = 0;
            if (strncmp(s->head, "HTTP/1.1 200", 12) != 0 || !strcasestr(s->head, "transfer-encoding: chunked")) {
                fprintf(stderr, "subscriber %d: not a chunked 200: %.200s\n", s->index, s->head);
                s->errors++;
                end_connection(s, 1);
                return;
            }
            s->subscribed = 1;
            s->state = SIZE;
            p += used;
            n -= used;
            break;
        }
        case SIZE: {
            char c = *p++;
            n--;
            if (c == '\n') {
                s->size_line[s->size_len] = 0;
                size_t size = strtoul(s->size_line, NULL, 16);
                s->size_len = 0;
                if (size == 0) { end_connection(s, 1); return; } /* the server ended the stream */
                s->remaining = size;
                s->state = DATA;
            } else if (s->size_len < sizeof s->size_line - 1) {
                s->size_line[s->size_len++] = c;
            }
            break;
        }
        case DATA: {
            size_t take = n < s->remaining ? n : s->remaining;
            stream_bytes(s, p, take, t);
            p += take;
            n -= take;
            s->remaining -= take;
            if (s->remaining == 0) { s->state = DATA_END; s->remaining = 2; }
            break;
        }
        case DATA_END: { /* the chunk's CRLF */
            size_t take = n < s->remaining ? n : s->remaining;
            p += take;
            n -= take;
            s->remaining -= take;
            if (s->remaining == 0) s->state = SIZE;
            break;
        }
        default:
            return;
        }
    }
}

static void write_results(const char *file) {
    FILE *out = fopen(file, "wb");
    if (!out) { perror(file); exit(1); }
    for (int i = 0; i < count; i++) {
        Sub *s = &subs[i];
        int32_t head[4] = {s->index, s->closed_by_server, s->connections, s->errors};
        int64_t numbers[2] = {(int64_t)s->count, s->resumer ? s->gap_before : -2};
        double times[2] = {s->gap_left, s->gap_back};
        fwrite(head, sizeof head, 1, out);
        fwrite(numbers, sizeof numbers, 1, out);
        fwrite(times, sizeof times, 1, out);
        fwrite(s->ids, sizeof *s->ids, s->count, out);
        fwrite(s->times, sizeof *s->times, s->count, out);
    }
    fclose(out);
}

int main(int argc, char **argv) {
    if (argc != 8) {
        fprintf(stderr, "usage: sse_client PORT PATH COUNT FIRST RESUMERS GAP OUTFILE\n");
        return 2;
    }
    port = atoi(argv[1]);
    path = argv[2];
    count = atoi(argv[3]);
    int first = atoi(argv[4]), resumers = atoi(argv[5]);
    gap = atof(argv[6]);
    const char *outfile = argv[7];
    epfd = epoll_create1(0);
    subs = calloc(count, sizeof *subs);
    for (int i = 0; i < count; i++) {
        subs[i].index = first + i;
        subs[i].fd = -1;
        subs[i].last = -1;
        subs[i].gap_before = -1;
        subs[i].resumer = i < resumers;
    }
    fcntl(0, F_SETFL, O_NONBLOCK);
    struct epoll_event in = {.events = EPOLLIN, .data.ptr = NULL};
    epoll_ctl(epfd, EPOLL_CTL_ADD, 0, &in);

    static char buffer[1 << 16];
    char command[256];
    size_t command_len = 0;
    int opened = 0, announced = 0, started = 0, draining = 0;
    double t0 = 0, duration = 0, deadline = 0;
    int64_t target = 0;
    struct epoll_event events[256];
    for (;;) {
        double t = now();
        /* Open the connections 50 at a time (the server's accept backlog), the next once those are subscribed. */
        if (opened < count) {
            int ready = 1;
            for (int i = 0; i < opened; i++) if (!subs[i].subscribed) { ready = 0; break; }
            if (ready) for (int k = 0; k < 50 && opened < count; k++) open_connection(&subs[opened++]);
        } else if (!announced) {
            int ready = 1;
            for (int i = 0; i < count; i++) if (!subs[i].subscribed) { ready = 0; break; }
            if (ready) { printf("subscribed\n"); fflush(stdout); announced = 1; }
        }
        for (int i = 0; i < opened; i++) {
            Sub *s = &subs[i];
            if (s->reconnect_at > 0 && t >= s->reconnect_at) {
                if (s->state == AWAY) s->gap_back = t;
                open_connection(s);
            }
            if (started && s->resumer && s->leave_at > 0 && t >= s->leave_at && s->state >= SIZE && s->state <= DATA_END) {
                s->leave_at = 0;
                s->gap_before = s->last;
                s->gap_left = t;
                end_connection(s, 0);
                s->reconnect_at = t + gap;
            }
        }
        if (draining) {
            int done = t > deadline;
            if (!done) {
                done = 1;
                for (int i = 0; i < count; i++)
                    if (subs[i].last < target || subs[i].state == AWAY) { done = 0; break; }
            }
            if (done) {
                for (int i = 0; i < count; i++) if (subs[i].fd >= 0) end_connection(&subs[i], 0);
                write_results(outfile);
                printf("done\n");
                fflush(stdout);
                return 0;
            }
        }
        int n = epoll_wait(epfd, events, 256, 5);
        t = now();
        for (int e = 0; e < n; e++) {
            Sub *s = events[e].data.ptr;
            if (!s) { /* a command */
                ssize_t r = read(0, command + command_len, sizeof command - 1 - command_len);
                if (r == 0) return 1; /* the bench went away */
                if (r < 0) continue;
                command_len += r;
                command[command_len] = 0;
                char *nl;
                while ((nl = strchr(command, '\n'))) {
                    *nl = 0;
                    if (sscanf(command, "start %lf %lf", &t0, &duration) == 2) {
                        started = 1;
                        for (int i = 0; i < count; i++)
                            if (subs[i].resumer) subs[i].leave_at = t0 + duration * (0.3 + 0.2 * i / (resumers > 1 ? resumers : 1));
                    } else if (sscanf(command, "drain %lld %lf", (long long *)&target, &deadline) == 2) {
                        draining = 1;
                    }
                    size_t rest = command_len - (nl + 1 - command);
                    memmove(command, nl + 1, rest);
                    command_len = rest;
                    command[command_len] = 0;
                }
                continue;
            }
            if (s->state == CONNECTING) {
                int error = 0;
                socklen_t len = sizeof error;
                getsockopt(s->fd, SOL_SOCKET, SO_ERROR, &error, &len);
                if (error) { s->errors++; end_connection(s, 1); continue; }
                send_request(s);
                continue;
            }
            for (;;) {
                ssize_t r = read(s->fd, buffer, sizeof buffer);
                if (r > 0) {
                    received(s, buffer, (size_t)r, t);
                    if (s->fd < 0 || r < (ssize_t)sizeof buffer) break;
                } else if (r == 0 || (errno != EAGAIN && errno != EINTR)) {
                    end_connection(s, 1);
                    break;
                } else {
                    break;
                }
            }
        }
    }
}
