#!/usr/bin/env python3
"""paperboy(1) and the .deb: the man page formats without a groff warning and
documents what the binary says it does (every command of `paperboy --help`, every
option of every `paperboy help CMD`, every exit status, every PAPERBOY_* variable,
the version); CPack builds a .deb holding the binary and the gzipped man page."""
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


def cpack_config():
    return os.path.join(os.path.dirname(pbtest.PAPERBOY), "CPackConfig.cmake")


class DebTest(unittest.TestCase):
    # scripts/deps.sh installs cmake (cpack) and dpkg-dev: a missing tool is a failure, not a skip.
    @classmethod
    def setUpClass(cls):
        for tool in ("cpack", "dpkg-deb"):
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
            for m in members.values():
                self.assertEqual((m.uname, m.gname), ("root", "root"), m.name)
            gz = tar.extractfile("./usr/share/man/man1/paperboy.1.gz").read()
        # gzip -9n: no file name, no time stamp in the header (flags 0, mtime 0).
        self.assertEqual(gz[:4], b"\x1f\x8b\x08\x00")
        self.assertEqual(gz[4:8], b"\0\0\0\0")
        self.assertEqual(gzip.decompress(gz).decode("ascii"), man_source())


if __name__ == "__main__":
    pbtest.main()
