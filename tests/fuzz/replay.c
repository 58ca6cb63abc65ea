/*
 * replay: runs a fuzz target's LLVMFuzzerTestOneInput on saved inputs,
 * without libFuzzer, so the ordinary compiler and `make test` (or `make
 * asan`, under the sanitizers) replay the corpora and the regressions.
 *
 *   replay FILE|FOLDER...
 *
 * Each input runs in a child process of its own, so one crash, sanitizer
 * report, leak (LeakSanitizer runs at the child's exit) or hang fails that
 * input only and the rest still run; a hang is an input still running
 * after AKB_FUZZ_TIMEOUT seconds (default 60). Failures are named on
 * stderr; the last line on stdout is "replay: N passed, N failed" (the
 * suite, tests/suites/fuzz.sh, adds them up). Exits 1 if any failed.
 */
#include "core/prefix.h"

#include <dirent.h>
#include <errno.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <unistd.h>

#include "agentkb/buf.h"
#include "fuzz.h"

/* Targets that need no set-up do not define it. */
extern int LLVMFuzzerInitialize(int *argc, char ***argv) __attribute__((weak));

static size_t S_passed, S_failed;

static int S_run_child(const char *path)
{
	struct akb_buf b = AKB_BUF_INIT;
	if (akb_buf_read_file(&b, path) != 0) {
		fprintf(stderr, "%s: %s\n", path, strerror(errno));
		return 2;
	}
	/* A copy of exactly the input's size, so a read past its end is caught as it is under libFuzzer. */
	uint8_t *data = akb_xmalloc(b.len ? b.len : 1);
	memcpy(data, b.ptr, b.len);
	LLVMFuzzerTestOneInput(data, b.len);
	free(data);
	akb_buf_release(&b);
	return 0;
}

static void S_replay(const char *path, unsigned timeout)
{
	fflush(NULL);
	pid_t pid = fork();
	if (pid < 0) {
		perror("fork");
		exit(2);
	}
	if (pid == 0) {
		alarm(timeout);
		exit(S_run_child(path));
	}
	int st;
	while (waitpid(pid, &st, 0) < 0 && errno == EINTR)
		;
	if (WIFEXITED(st) && WEXITSTATUS(st) == 0) {
		S_passed++;
		return;
	}
	S_failed++;
	if (WIFSIGNALED(st))
		fprintf(stderr, "FAIL: %s: %s\n", path,
			WTERMSIG(st) == SIGALRM ? "still running after the timeout (a hang)" : strsignal(WTERMSIG(st)));
	else
		fprintf(stderr, "FAIL: %s: exit status %d\n", path, WEXITSTATUS(st));
}

static int S_cmp(const void *a, const void *b)
{
	return strcmp(*(char *const *)a, *(char *const *)b);
}

/* A folder's files, in name order (hidden ones skipped), or the file itself. */
static void S_replay_path(const char *path, unsigned timeout)
{
	struct stat st;
	if (stat(path, &st) != 0) {
		fprintf(stderr, "FAIL: %s: %s\n", path, strerror(errno));
		S_failed++;
		return;
	}
	if (!S_ISDIR(st.st_mode)) {
		S_replay(path, timeout);
		return;
	}
	DIR *d = opendir(path);
	if (!d) {
		fprintf(stderr, "FAIL: %s: %s\n", path, strerror(errno));
		S_failed++;
		return;
	}
	char **names = NULL;
	size_t n = 0, cap = 0;
	struct dirent *de;
	while ((de = readdir(d)) != NULL) {
		if (de->d_name[0] == '.')
			continue;
		names = akb_xgrow(names, n, &cap, 16, sizeof *names);
		names[n++] = akb_xstrdup(de->d_name);
	}
	closedir(d);
	if (n)
		qsort(names, n, sizeof *names, S_cmp);
	struct akb_buf p = AKB_BUF_INIT;
	for (size_t i = 0; i < n; i++) {
		akb_buf_clear(&p);
		akb_buf_printf(&p, "%s/%s", path, names[i]);
		S_replay_path(p.ptr, timeout);
		free(names[i]);
	}
	akb_buf_release(&p);
	free(names);
}

int main(int argc, char **argv)
{
	const char *t = getenv("AKB_FUZZ_TIMEOUT");
	unsigned timeout = t && atoi(t) > 0 ? (unsigned)atoi(t) : 60;
	if (LLVMFuzzerInitialize)
		LLVMFuzzerInitialize(&argc, &argv);
	for (int i = 1; i < argc; i++)
		S_replay_path(argv[i], timeout);
	printf("replay: %zu passed, %zu failed\n", S_passed, S_failed);
	return S_failed ? 1 : 0;
}
