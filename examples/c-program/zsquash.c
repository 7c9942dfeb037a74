/* zsquash: compress or decompress stdin to stdout with zlib, and report the ratio. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <zlib.h>

#define ZSQUASH_VERSION "1.4.0"
#define CHUNK 16384

static int squash(FILE *in, FILE *out, int level, unsigned long *n_in, unsigned long *n_out) {
    unsigned char ibuf[CHUNK], obuf[CHUNK];
    z_stream s;
    memset(&s, 0, sizeof s);
    if (deflateInit(&s, level) != Z_OK) return -1;
    int flush;
    do {
        s.avail_in = (uInt)fread(ibuf, 1, CHUNK, in);
        if (ferror(in)) { deflateEnd(&s); return -1; }
        *n_in += s.avail_in;
        flush = feof(in) ? Z_FINISH : Z_NO_FLUSH;
        s.next_in = ibuf;
        do {
            s.avail_out = CHUNK;
            s.next_out = obuf;
            deflate(&s, flush);
            size_t have = CHUNK - s.avail_out;
            if (fwrite(obuf, 1, have, out) != have) { deflateEnd(&s); return -1; }
            *n_out += have;
        } while (s.avail_out == 0);
    } while (flush != Z_FINISH);
    deflateEnd(&s);
    return 0;
}

static int unsquash(FILE *in, FILE *out) {
    unsigned char ibuf[CHUNK], obuf[CHUNK];
    z_stream s;
    memset(&s, 0, sizeof s);
    if (inflateInit(&s) != Z_OK) return -1;
    int ret = Z_OK;
    while (ret != Z_STREAM_END) {
        s.avail_in = (uInt)fread(ibuf, 1, CHUNK, in);
        if (ferror(in) || s.avail_in == 0) break;
        s.next_in = ibuf;
        do {
            s.avail_out = CHUNK;
            s.next_out = obuf;
            ret = inflate(&s, Z_NO_FLUSH);
            if (ret == Z_NEED_DICT || ret == Z_DATA_ERROR || ret == Z_MEM_ERROR) {
                inflateEnd(&s);
                return -1;
            }
            size_t have = CHUNK - s.avail_out;
            if (fwrite(obuf, 1, have, out) != have) { inflateEnd(&s); return -1; }
        } while (s.avail_out == 0);
    }
    inflateEnd(&s);
    return ret == Z_STREAM_END ? 0 : -1;
}

/* Round-trip a known buffer through compress2/uncompress. */
static int self_test(void) {
    char text[4096];
    for (size_t i = 0; i < sizeof text; i++) text[i] = "whittle "[i % 8];
    unsigned char packed[8192];
    uLongf packed_len = sizeof packed;
    if (compress2(packed, &packed_len, (const Bytef *)text, sizeof text, 9) != Z_OK) return 1;
    char back[4096];
    uLongf back_len = sizeof back;
    if (uncompress((Bytef *)back, &back_len, packed, packed_len) != Z_OK) return 1;
    if (back_len != sizeof text || memcmp(back, text, sizeof text) != 0) return 1;
    printf("self-test ok (%lu -> %lu bytes)\n", (unsigned long)sizeof text, (unsigned long)packed_len);
    return 0;
}

int main(int argc, char **argv) {
    if (argc > 1 && strcmp(argv[1], "--version") == 0) {
        printf("zsquash %s (zlib %s)\n", ZSQUASH_VERSION, zlibVersion());
        return 0;
    }
    if (argc > 1 && strcmp(argv[1], "--self-test") == 0) return self_test();
    if (argc > 1 && strcmp(argv[1], "-d") == 0) {
        if (unsquash(stdin, stdout) != 0) { fputs("zsquash: corrupt input\n", stderr); return 1; }
        return 0;
    }
    unsigned long n_in = 0, n_out = 0;
    if (squash(stdin, stdout, Z_BEST_COMPRESSION, &n_in, &n_out) != 0) {
        fputs("zsquash: i/o error\n", stderr);
        return 1;
    }
    fprintf(stderr, "zsquash: %lu -> %lu bytes\n", n_in, n_out);
    return 0;
}
