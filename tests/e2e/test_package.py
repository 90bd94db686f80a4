#!/usr/bin/env python3
"""paperboy(1) and the .deb: the man page formats without a groff warning and
documents what the binary says it does (every command of `paperboy --help`, every
option of every `paperboy help CMD`, every exit status, every PAPERBOY_* variable,
the version); CPack builds a .deb holding the binary, the gzipped man page and the
bash completion; `cmake --install` with DESTDIR stages the same files; the bash
completion offers every command of `paperboy --help` and every option of each
`paperboy COMMAND --help`."""
import glob
import gzip
import io
import os
import re
import shutil
import subprocess
import tarfile
import tempfile
import unittest

import pbtest

ROOT = os.path.dirname(pbtest.TESTS)
MAN = os.path.join(ROOT, "man", "paperboy.1")
COMPLETION = os.path.join(ROOT, "data", "completion", "paperboy.bash")
COMPLETION_PATH = "usr/share/bash-completion/completions/paperboy"


def man_source():
    with open(MAN, encoding="ascii") as f:  # ASCII only: no preconv, no encoding warnings
        return f.read()


def section(src, name):
    """The roff text of one .SH section."""
    m = re.search(rf"^\.SH {re.escape(name)}\n(.*?)(?=^\.SH |\Z)", src, re.S | re.M)
    if not m:
        raise AssertionError(f"paperboy.1 has no .SH {name}")
    return m.group(1)


def unroff(text):
    """Roff text as words: \\- is -, font escapes and macros' names dropped."""
    text = text.replace("\\-", "-")
    text = re.sub(r"\\f[BIRP]", "", text)
    text = re.sub(r"^\.[A-Z]{1,2} ?", "", text, flags=re.M)
    return text.replace('"', "")


def commands():
    """The commands `paperboy --help` lists."""
    out = pbtest.run(["--help"]).stdout
    block = out.split("Commands:\n", 1)[1].split("\n\n", 1)[0]
    return [line.split()[0] for line in block.splitlines() if line.strip()]


def help_options(command):
    """The options (--long and -x) of the Options: block of `paperboy help COMMAND`."""
    out = pbtest.run(["help", command]).stdout
    block = out.split("Options:\n", 1)[1].split("\n\n", 1)[0]
    found = []
    for m in re.finditer(r"^ {2}(?:(-\w), )?(--[a-z][a-z-]*)", block, re.M):
        found += [o for o in m.groups() if o]
    return found


def complete(*words):
    """COMPREPLY of the completion function for `paperboy WORDS...` (the last word
    being completed), in bash --norc without bash-completion's helpers."""
    script = ('source "$1"; shift; COMP_WORDS=(paperboy "$@"); '
              'COMP_CWORD=$((${#COMP_WORDS[@]} - 1)); COMP_LINE="${COMP_WORDS[*]}"; '
              'COMP_POINT=${#COMP_LINE}; COMPREPLY=(); '
              'fn=$(complete -p paperboy | sed -n "s/.* -F \\([^ ]*\\) .*/\\1/p"); '
              '[ -n "$fn" ] || { echo "no complete -F for paperboy" >&2; exit 1; }; '
              '"$fn"; printf "%s\\n" "${COMPREPLY[@]}"')
    p = subprocess.run(["bash", "--norc", "--noprofile", "-c", script, "bash", COMPLETION,
                        *words], capture_output=True, text=True, timeout=60, cwd=ROOT)
    if p.returncode != 0 or p.stderr:
        raise AssertionError(f"completion of {words} failed: {p.stderr}")
    return [w for w in p.stdout.split("\n") if w]


def entries(sec):
    """The first word of each .TP entry's tag line of a section."""
    tags = re.findall(r"^\.TP\n(.*)$", sec, re.M)
    return [unroff(t).split()[0] for t in tags if unroff(t).split()]


class ManPageTest(unittest.TestCase):
    def test_no_groff_warnings(self):
        p = subprocess.run(["groff", "-man", "-ww", "-z", MAN],
                           capture_output=True, text=True, timeout=60)
        self.assertEqual((p.returncode, p.stderr), (0, ""))
        if shutil.which("man"):
            p = subprocess.run(["man", "--warnings", "-l", MAN], capture_output=True,
                               text=True, timeout=60, env=dict(os.environ, MANPAGER="cat",
                                                               MANWIDTH="80"))
            self.assertEqual((p.returncode, p.stderr), (0, ""))

    def test_lexgrog_finds_the_name(self):
        p = subprocess.run(["lexgrog", MAN], capture_output=True, text=True, timeout=60)
        self.assertEqual(p.returncode, 0, p.stdout + p.stderr)
        self.assertIn('"paperboy - ', p.stdout)

    def test_version_is_the_binarys(self):
        version = pbtest.run(["--version"]).stdout.split()[-1]
        th = re.search(r"^\.TH .*$", man_source(), re.M).group(0)
        self.assertRegex(th, rf'^\.TH PAPERBOY 1 \S+ "paperboy {re.escape(version)}"',
                         "bump the .TH line of man/paperboy.1")

    def test_every_command_is_documented(self):
        listed = commands()
        self.assertIn("fetch", listed)
        documented = entries(section(man_source(), "COMMANDS"))
        for c in listed:
            self.assertIn(c, documented, f"paperboy.1 COMMANDS has no entry for '{c}'")

    def test_every_option_is_documented(self):
        options = unroff(section(man_source(), "OPTIONS"))
        for c in commands():
            if c == "help":
                continue
            out = pbtest.run(["help", c]).stdout
            block = out.split("Options:\n", 1)[1].split("\n\n", 1)[0]
            for opt in re.findall(r"^ {2}(?:-\w, )?(--[a-z][a-z-]*)", block, re.M):
                self.assertTrue(re.search(rf"(?<![\w-]){re.escape(opt)}(?![\w-])", options),
                                f"paperboy.1 OPTIONS lacks {opt} (of '{c}')")

    def test_every_exit_status_is_documented(self):
        documented = entries(section(man_source(), "EXIT STATUS"))
        texts = [pbtest.run(["--help"]).stdout] + \
                [pbtest.run(["help", c]).stdout for c in commands() if c != "help"]
        codes = set()
        for t in texts:
            status = t.split("Exit status:", 1)[1]
            codes |= set(re.findall(r"(?:^|[\s,])(\d+) [a-z(]", status))
        self.assertTrue({"0", "1", "2", "3", "4", "130"} <= codes, codes)
        for code in codes:
            self.assertIn(code, documented, f"paperboy.1 EXIT STATUS has no entry for {code}")

    def test_environment_and_config_sections(self):
        src = man_source()
        env = unroff(section(src, "ENVIRONMENT"))
        texts = "".join(pbtest.run(["help", c]).stdout for c in commands() if c != "help")
        names = set(re.findall(r"\bPAPERBOY_[A-Z_]+\b", texts))
        names |= {"PAPERBOY_LLM_KEY", "DEEPSEEK_API_KEY", "OPENAI_API_KEY", "PAPERBOY_HF_URL",
                  "PAPERBOY_LLM_URL", "PAPERBOY_TTS_URL", "KEY_env"}
        for n in names:
            self.assertIn(n, env, f"paperboy.1 ENVIRONMENT lacks {n}")
        conf = unroff(section(src, "CONFIGURATION FILE"))
        with open(os.path.join(ROOT, "data", "paperboy.ini"), encoding="utf-8") as f:
            ini = f.read()
        for s in set(re.findall(r"^\[([a-z.]+)\]", ini, re.M)) | {"mail", "push.NAME"}:
            self.assertIn(f"[{s}]", conf, f"paperboy.1 CONFIGURATION FILE lacks [{s}]")


class CompletionTest(unittest.TestCase):
    def test_shellcheck_clean(self):
        # scripts/deps.sh installs shellcheck: a missing one is a failure, not a skip.
        self.assertTrue(shutil.which("shellcheck"), "shellcheck is not installed: run scripts/deps.sh")
        p = subprocess.run(["shellcheck", "-s", "bash", COMPLETION], capture_output=True,
                           text=True, timeout=60)
        self.assertEqual(p.returncode, 0, p.stdout + p.stderr)

    def test_commands(self):
        listed = commands()
        self.assertIn("run", listed)
        offered = complete("")
        for c in listed:
            self.assertIn(c, offered, f"paperboy.bash does not complete the command '{c}'")
        self.assertEqual(sorted(complete("r")), ["render", "run"])
        self.assertIn("stats", complete("help", "st"))

    def test_options_of_every_command(self):
        for c in commands():
            if c == "help":
                continue
            with self.subTest(command=c):
                listed = help_options(c)
                self.assertIn("--help", listed)
                offered = complete(c, "-")
                for opt in listed:
                    self.assertIn(opt, offered, f"paperboy.bash: '{c}' lacks {opt}")
                for opt in offered:
                    self.assertIn(opt, listed, f"paperboy.bash: '{c}' offers {opt}, "
                                  f"which 'paperboy help {c}' does not list")

    def test_run_options(self):
        offered = complete("run", "--")
        listed = [o for o in help_options("run") if o.startswith("--")]
        self.assertIn("--no-translate", listed)
        self.assertEqual(sorted(offered), sorted(listed))

    def test_values(self):
        self.assertEqual(complete("run", "--lang", ""), ["zh-CN", "zh-TW"])
        self.assertEqual(complete("render", "--lang", "zh-CN,zh-T"), ["zh-CN,zh-TW"])
        langs = sorted(os.path.splitext(n)[0]
                       for n in os.listdir(os.path.join(ROOT, "data", "lang")))
        self.assertEqual(sorted(complete("run", "--lang", "")), langs)
        self.assertEqual(complete("run", "--date", ""), [])
        self.assertEqual(complete("send", "--only", ""), [])
        self.assertEqual(complete("run", "--out", "ma"), ["man"])
        self.assertEqual(complete("run", "--config", "data/paperboy.i"), ["data/paperboy.ini"])
        self.assertEqual(complete("fetch", "--db", "man/paperboy."), ["man/paperboy.1"])
        self.assertEqual(complete("run", "--out", "=", "ma"), ["man"])  # --out=ma
        self.assertEqual(complete("-v", "r"), ["render", "run"])


def build_dir():
    return os.path.dirname(pbtest.PAPERBOY)


class InstallTest(unittest.TestCase):
    def test_staged_install(self):
        with tempfile.TemporaryDirectory(prefix="pb-install-") as dest:
            p = subprocess.run(["cmake", "--install", build_dir(), "--prefix", "/usr"],
                               capture_output=True, text=True, timeout=120,
                               env=dict(os.environ, DESTDIR=dest))
            self.assertEqual(p.returncode, 0, p.stdout + p.stderr)
            self.assertTrue(os.access(os.path.join(dest, "usr/bin/paperboy"), os.X_OK))
            staged = os.path.join(dest, COMPLETION_PATH)
            self.assertTrue(os.path.isfile(staged), f"no {COMPLETION_PATH} in the staged install")
            with open(staged, encoding="utf-8") as a, open(COMPLETION, encoding="utf-8") as b:
                self.assertEqual(a.read(), b.read())


def cpack_config():
    return os.path.join(os.path.dirname(pbtest.PAPERBOY), "CPackConfig.cmake")


class DebTest(unittest.TestCase):
    # scripts/deps.sh installs cmake (cpack) and dpkg-dev: a missing tool is a failure, not a skip.
    @classmethod
    def setUpClass(cls):
        for tool in ("cpack", "dpkg-deb", "lintian"):
            if not shutil.which(tool):
                raise AssertionError(f"{tool} is not installed: run scripts/deps.sh")
        if not os.path.exists(cpack_config()):
            raise AssertionError(f"no {cpack_config()}: PAPERBOY_BIN is not in a CMake build directory")
        cls.tmp = tempfile.mkdtemp(prefix="pb-deb-")
        p = subprocess.run(["cpack", "-G", "DEB", "--config", cpack_config(), "-B", cls.tmp],
                           capture_output=True, text=True, timeout=120)
        if p.returncode != 0:
            raise AssertionError("cpack failed:\n" + p.stdout + p.stderr)
        debs = glob.glob(os.path.join(cls.tmp, "paperboy_*.deb"))
        if len(debs) != 1:
            raise AssertionError(f"cpack made {debs}")
        cls.deb = debs[0]

    @classmethod
    def tearDownClass(cls):
        shutil.rmtree(cls.tmp, ignore_errors=True)

    def field(self, name):
        return subprocess.run(["dpkg-deb", "-f", self.deb, name], capture_output=True,
                              text=True, check=True).stdout.strip()

    def test_control_fields(self):
        version = pbtest.run(["--version"]).stdout.split()[-1]
        self.assertEqual(self.field("Package"), "paperboy")
        self.assertEqual(self.field("Version"), version)
        self.assertIn(self.field("Section"), ("mail", "net"))
        self.assertIn("@", self.field("Maintainer"))
        self.assertTrue(self.field("Description"))
        depends = [d.split()[0] for d in self.field("Depends").split(", ")]
        for d in ("fonts-noto-cjk", "espeak-ng-data", "libopencc-data", "ca-certificates",
                  "libc6", "libcurl4", "libsqlite3-0"):  # the last three from dpkg-shlibdeps
            self.assertIn(d, depends)

    def test_lintian_clean(self):
        # Debian's own checks of a binary package: policy (a copyright file, a changelog,
        # the man page, file modes) and the ELF (hardening, RPATH). The one override
        # (cmake/lintian-overrides) is the bundled day's paper text.
        p = subprocess.run(["lintian", "--fail-on", "error,warning", self.deb],
                           capture_output=True, text=True, timeout=300)
        tags = [line for line in p.stdout.splitlines() if line[:2] in ("E:", "W:")]
        self.assertEqual(tags, [], p.stdout + p.stderr)
        self.assertEqual(p.returncode, 0, p.stdout + p.stderr)

    def test_completion_listed(self):
        listing = subprocess.run(["dpkg-deb", "-c", self.deb], capture_output=True, text=True,
                                 check=True).stdout
        names = [line.split()[-1] for line in listing.splitlines() if line.strip()]
        self.assertIn("./" + COMPLETION_PATH, names)

    def test_files(self):
        data = subprocess.run(["dpkg-deb", "--fsys-tarfile", self.deb], capture_output=True,
                              check=True).stdout
        with tarfile.open(fileobj=io.BytesIO(data)) as tar:
            members = {m.name: m for m in tar.getmembers()}
            binary = members["./usr/bin/paperboy"]
            self.assertTrue(binary.isfile() and binary.mode & 0o111)
            self.assertIn("./usr/share/doc/paperboy/examples/paperboy.ini", members)
            self.assertIn("./usr/share/doc/paperboy/examples/systemd/paperboy.service", members)
            self.assertIn("./usr/share/doc/paperboy/changelog.gz", members)
            completion = members["./" + COMPLETION_PATH]
            self.assertTrue(completion.isfile() and not completion.mode & 0o111)
            with open(COMPLETION, "rb") as f:
                self.assertEqual(tar.extractfile(completion).read(), f.read())
            for m in members.values():
                self.assertEqual((m.uname, m.gname), ("root", "root"), m.name)
            gz = tar.extractfile("./usr/share/man/man1/paperboy.1.gz").read()
        # gzip -9n: no file name, no time stamp in the header (flags 0, mtime 0).
        self.assertEqual(gz[:4], b"\x1f\x8b\x08\x00")
        self.assertEqual(gz[4:8], b"\0\0\0\0")
        self.assertEqual(gzip.decompress(gz).decode("ascii"), man_source())


if __name__ == "__main__":
    pbtest.main()
