/* The limit for bench/geo's transform: PROJ's proj_trans_generic over the same points, from C.
 *
 *   c_loop POINTS OUT [REPEAT] [BATCH]
 *
 * POINTS: N easting then N northing (float64) in EPSG:6677; transforms them to EPSG:6668 (normalised for
 * visualisation: lon, lat out) REPEAT times in one proj_trans_generic call over all the points, and REPEAT times
 * in calls of BATCH points; writes lon then lat of the last one-call run to OUT. Only the proj_trans_generic calls
 * are timed. Prints one JSON object on stdout.
 *
 * Build: cc -O2 -o c_loop c_loop.c $(pkg-config --cflags --libs proj)
 */
#include <math.h>
#include <proj.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

static double now(void) {
    struct timespec t;
    clock_gettime(CLOCK_MONOTONIC, &t);
    return (double)t.tv_sec + (double)t.tv_nsec * 1e-9;
}

static int compare(const void *a, const void *b) {
    double x = *(const double *)a, y = *(const double *)b;
    return (x > y) - (x < y);
}

static double median(double *values, int count) {
    double *sorted = malloc(sizeof(double) * (size_t)count);
    memcpy(sorted, values, sizeof(double) * (size_t)count);
    qsort(sorted, (size_t)count, sizeof(double), compare);
    double m = count % 2 ? sorted[count / 2] : (sorted[count / 2 - 1] + sorted[count / 2]) / 2;
    free(sorted);
    return m;
}

static void print_list(const char *name, double *values, int count) {
    printf("\"%s\":[", name);
    for (int i = 0; i < count; i++) printf("%s%.9f", i ? "," : "", values[i]);
    printf("]");
}

int main(int argc, char **argv) {
    if (argc < 3) {
        fprintf(stderr, "usage: c_loop POINTS OUT [REPEAT] [BATCH]\n");
        return 2;
    }
    int repeats = argc > 3 ? atoi(argv[3]) : 3;
    size_t batch = argc > 4 ? (size_t)atol(argv[4]) : 4096;
    if (repeats < 1 || repeats > 100 || batch < 1) return 2;

    FILE *in = fopen(argv[1], "rb");
    if (!in) { perror(argv[1]); return 1; }
    fseek(in, 0, SEEK_END);
    size_t count = (size_t)ftell(in) / (2 * sizeof(double));
    fseek(in, 0, SEEK_SET);
    double *input = malloc(2 * count * sizeof(double));
    if (fread(input, sizeof(double), 2 * count, in) != 2 * count) { fprintf(stderr, "short read\n"); return 1; }
    fclose(in);
    double *x = malloc(count * sizeof(double));
    double *y = malloc(count * sizeof(double));

    PJ_CONTEXT *ctx = proj_context_create();
    PJ *raw = proj_create_crs_to_crs(ctx, "EPSG:6677", "EPSG:6668", NULL);
    if (!raw) { fprintf(stderr, "proj_create_crs_to_crs failed\n"); return 1; }
    PJ *pj = proj_normalize_for_visualization(ctx, raw);
    proj_destroy(raw);
    if (!pj) { fprintf(stderr, "proj_normalize_for_visualization failed\n"); return 1; }

    double *times = malloc(sizeof(double) * (size_t)repeats);
    double *batch_times = malloc(sizeof(double) * (size_t)repeats);
    size_t failed = 0;
    for (int r = 0; r < repeats; r++) {
        memcpy(x, input, count * sizeof(double));
        memcpy(y, input + count, count * sizeof(double));
        double start = now();
        proj_trans_generic(pj, PJ_FWD, x, sizeof(double), count, y, sizeof(double), count, NULL, 0, 0, NULL, 0, 0);
        times[r] = now() - start;
    }
    for (size_t i = 0; i < count; i++) failed += !isfinite(x[i]) || !isfinite(y[i]);
    FILE *out = fopen(argv[2], "wb");
    if (!out) { perror(argv[2]); return 1; }
    fwrite(x, sizeof(double), count, out);
    fwrite(y, sizeof(double), count, out);
    fclose(out);

    for (int r = 0; r < repeats; r++) {
        memcpy(x, input, count * sizeof(double));
        memcpy(y, input + count, count * sizeof(double));
        double start = now();
        for (size_t i = 0; i < count; i += batch) {
            size_t n = count - i < batch ? count - i : batch;
            proj_trans_generic(pj, PJ_FWD, x + i, sizeof(double), n, y + i, sizeof(double), n, NULL, 0, 0, NULL, 0, 0);
        }
        batch_times[r] = now() - start;
    }

    PJ *used = proj_trans_get_last_used_operation(pj);
    const char *name = used ? proj_get_name(used) : proj_get_name(pj);
    printf("{\"points\":%zu,\"failed\":%zu,\"batch\":%zu,\"median\":%.9f,\"batch_median\":%.9f,", count, failed, batch,
           median(times, repeats), median(batch_times, repeats));
    print_list("seconds", times, repeats);
    printf(",");
    print_list("batch_seconds", batch_times, repeats);
    printf(",\"operation\":\"%s\",\"proj\":\"%s\"}\n", name ? name : "?", proj_info().release);
    if (used) proj_destroy(used);
    proj_destroy(pj);
    proj_context_destroy(ctx);
    free(input); free(x); free(y); free(times); free(batch_times);
    return 0;
}
