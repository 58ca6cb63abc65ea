/*
 * Unit tests for theme lookup's theme.yaml: the code backgrounds the
 * highlight CSS is fitted to, and its errors at their positions.
 */
#include "core/prefix.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "agentkb/buf.h"
#include "agentkb/config.h"
#include "agentkb/diag.h"
#include "agentkb/theme.h"
#include "harness.h"

/* A theme folder (templates/ and an optional theme.yaml) in a new temporary folder. */
static char *S_theme_dir(const char *yaml)
{
	char tmpl[] = "/tmp/akb-theme-test-XXXXXX";
	if (!mkdtemp(tmpl))
		return NULL;
	struct akb_buf p = AKB_BUF_INIT;
	akb_buf_printf(&p, "%s/templates", tmpl);
	mkdir(p.ptr, 0700);
	if (yaml) {
		akb_buf_clear(&p);
		akb_buf_printf(&p, "%s/theme.yaml", tmpl);
		FILE *f = fopen(p.ptr, "w");
		if (f) {
			fputs(yaml, f);
			fclose(f);
		}
	}
	akb_buf_release(&p);
	return akb_xstrdup(tmpl);
}

static void S_remove(char *dir)
{
	struct akb_buf p = AKB_BUF_INIT;
	akb_buf_printf(&p, "%s/theme.yaml", dir);
	unlink(p.ptr);
	akb_buf_clear(&p);
	akb_buf_printf(&p, "%s/templates", dir);
	rmdir(p.ptr);
	rmdir(dir);
	akb_buf_release(&p);
	free(dir);
}

/* Finds the theme at a fresh folder with `yaml`; the first diagnostic's text goes to `first`. */
static int S_find(const char *yaml, struct akb_theme *theme, struct akb_buf *first)
{
	memset(theme, 0, sizeof(*theme));
	char *dir = S_theme_dir(yaml);
	if (!dir)
		return -2;
	struct akb_config cfg;
	akb_config_init(&cfg);
	akb_config_set(&cfg.theme, dir);
	struct akb_diag diag;
	akb_diag_init(&diag, NULL);
	int rc = akb_theme_find(theme, &cfg, NULL, &diag);
	akb_buf_clear(first);
	if (diag.len) {
		akb_diag_format(&diag.items[0], first);
		/* the folder is a temporary name: keep what follows it */
		const char *tail = strstr(first->ptr, "theme.yaml");
		if (tail) {
			char *copy = akb_xstrdup(tail);
			akb_buf_clear(first);
			akb_buf_puts(first, copy);
			free(copy);
		}
		if (first->len && first->ptr[first->len - 1] == '\n')
			akb_buf_truncate(first, first->len - 1);
	}
	akb_diag_release(&diag);
	akb_config_release(&cfg);
	S_remove(dir);
	return rc;
}

TEST(theme_yaml_code_backgrounds)
{
	struct akb_theme theme;
	struct akb_buf msg = AKB_BUF_INIT;
	INT_EQ(S_find("# colours\ncode_background: \"#f6f8fa\"\ncode_background_dark: '#123'\n", &theme, &msg), 0);
	STR_EQ(theme.code_bg, "#f6f8fa");
	STR_EQ(theme.code_bg_dark, "#123");
	STR_EQ(msg.ptr, "");
	akb_theme_release(&theme);

	/* No theme.yaml, an empty one, one of comments only: no backgrounds, no error. */
	INT_EQ(S_find(NULL, &theme, &msg), 0);
	CHECK(theme.dir != NULL && theme.code_bg == NULL && theme.code_bg_dark == NULL);
	akb_theme_release(&theme);
	INT_EQ(S_find("", &theme, &msg), 0);
	CHECK(theme.code_bg == NULL);
	akb_theme_release(&theme);
	INT_EQ(S_find("# nothing yet\n", &theme, &msg), 0);
	CHECK(theme.code_bg == NULL);
	akb_theme_release(&theme);
	/* One key alone. */
	INT_EQ(S_find("code_background_dark: \"#161b22\"\n", &theme, &msg), 0);
	CHECK(theme.code_bg == NULL);
	STR_EQ(theme.code_bg_dark, "#161b22");
	akb_theme_release(&theme);
	akb_buf_release(&msg);
}

TEST(theme_yaml_errors)
{
	struct akb_theme theme;
	struct akb_buf msg = AKB_BUF_INIT;
	INT_EQ(S_find("code_background: \"#f6f8fa\"\ncode_backgrund_dark: \"#161b22\"\n", &theme, &msg), -1);
	STR_EQ(msg.ptr, "theme.yaml:2:1: error: unknown theme.yaml key 'code_backgrund_dark'");
	akb_theme_release(&theme);
	INT_EQ(S_find("code_background: navy\n", &theme, &msg), -1);
	STR_EQ(msg.ptr, "theme.yaml:1:18: error: 'code_background' must be a colour such as \"#161b22\" (#rrggbb or #rgb)");
	akb_theme_release(&theme);
	INT_EQ(S_find("code_background: \"#f6f8fa80\"\n", &theme, &msg), -1);
	akb_theme_release(&theme);
	INT_EQ(S_find("code_background: [\"#fff\"]\ncode_background_dark: \"#000\"\n", &theme, &msg), -1);
	STR_EQ(msg.ptr, "theme.yaml:1:18: error: 'code_background' must be a colour such as \"#161b22\"");
	akb_theme_release(&theme);
	INT_EQ(S_find("- code_background\n", &theme, &msg), -1);
	STR_EQ(msg.ptr, "theme.yaml:1:1: error: theme.yaml must be a mapping of keys to values");
	akb_theme_release(&theme);
	INT_EQ(S_find("code_background: \"#fff\n", &theme, &msg), -1);
	CHECK(strstr(msg.ptr, "theme.yaml:") == msg.ptr && strstr(msg.ptr, "error: invalid YAML: ") != NULL);
	akb_theme_release(&theme);
	akb_buf_release(&msg);
}
