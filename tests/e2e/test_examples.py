#!/usr/bin/env python3
"""The ready schedules under examples/.

The GitHub Actions workflow: its structure is checked as GitHub's workflow syntax defines
it (known keys only, every step one of uses/run, actions pinned, permissions, the Pages
deploy, the secret only in an env mapping), and its shell steps are run for real, as the
runner runs them (bash -eo pipefail, GITHUB_OUTPUT, GITHUB_STEP_SUMMARY), against a local
bare repository standing for GitHub and the fake Hugging Face and LLM servers: a partial
day fails the step but its answers reach the data branch, the next run restores them and
pays only for the rest. The systemd units pass `systemd-analyze verify` (and its offline
security review), their ExecStart runs; the crontab line parses, runs under flock, and its
times are the timer's and the workflow's.
"""
import fcntl
import os
import re
import shlex
import shutil
import subprocess
import tarfile
import io
import datetime
import zoneinfo

import yaml

import pbtest
from pbtest import read_text

ROOT = os.path.dirname(pbtest.TESTS)
EXAMPLES = os.path.join(ROOT, "examples")
WORKFLOW = os.path.join(EXAMPLES, "github-actions", "paperboy.yml")
SERVICE = os.path.join(EXAMPLES, "systemd", "paperboy.service")
TIMER = os.path.join(EXAMPLES, "systemd", "paperboy.timer")
CRONTAB = os.path.join(EXAMPLES, "cron", "paperboy.crontab")

# How the runner runs a step with `shell: bash`.
GITHUB_BASH = ["bash", "--noprofile", "--norc", "-eo", "pipefail"]
KEY = "sk-test-secret-4f1d"
PAGES_URL = "https://me.github.io/news"

# --- GitHub's workflow syntax (docs: "Workflow syntax for GitHub Actions") -------------
TOP_KEYS = {"name", "run-name", "on", "permissions", "env", "defaults", "concurrency", "jobs"}
EVENT_KEYS = {"schedule", "workflow_dispatch"}  # the events this workflow may use
SCHEDULE_KEYS = {"cron"}
DISPATCH_KEYS = {"inputs"}
INPUT_KEYS = {"description", "required", "default", "type", "options"}
INPUT_TYPES = {"string", "boolean", "choice", "number", "environment"}
JOB_KEYS = {"name", "permissions", "needs", "if", "runs-on", "environment", "concurrency",
            "outputs", "env", "defaults", "steps", "timeout-minutes", "strategy",
            "continue-on-error", "container", "services", "uses", "with", "secrets"}
STEP_KEYS = {"id", "if", "name", "uses", "run", "working-directory", "shell", "with", "env",
             "continue-on-error", "timeout-minutes"}
CONTAINER_KEYS = {"image", "credentials", "env", "ports", "volumes", "options"}
ENVIRONMENT_KEYS = {"name", "url"}
CONCURRENCY_KEYS = {"group", "cancel-in-progress"}
DEFAULTS_KEYS = {"run"}
DEFAULTS_RUN_KEYS = {"shell", "working-directory"}
PERMISSION_SCOPES = {"actions", "attestations", "checks", "contents", "deployments",
                     "discussions", "id-token", "issues", "models", "packages", "pages",
                     "pull-requests", "repository-projects", "security-events", "statuses"}
CONTEXTS = {"github", "env", "vars", "secrets", "inputs", "steps", "needs", "job", "runner",
            "matrix", "strategy"}
FUNCTIONS = {"always", "cancelled", "success", "failure", "contains", "startsWith",
             "endsWith", "format", "join", "toJSON", "fromJSON", "hashFiles"}
# Outputs of the actions used (their action.yml).
ACTION_OUTPUTS = {"actions/configure-pages": {"base_url", "base_path", "origin", "host"},
                  "actions/deploy-pages": {"page_url"}}
PINNED = re.compile(r"^[\w.-]+/[\w.-]+(/[\w./-]+)?@(v\d+(\.\d+){0,2}|[0-9a-f]{40})$")
EXPR = re.compile(r"\$\{\{(.*?)\}\}", re.S)


def load_workflow():
    with open(WORKFLOW, encoding="utf-8") as f:
        wf = yaml.safe_load(f)
    # YAML 1.1 (PyYAML) reads the key `on` as the boolean true; GitHub reads it as "on".
    if True in wf:
        wf["on"] = wf.pop(True)
    return wf


def strings(node, path=()):
    """Every string scalar of the document, with its path."""
    if isinstance(node, dict):
        for k, v in node.items():
            yield from strings(v, path + (k,))
    elif isinstance(node, list):
        for i, v in enumerate(node):
            yield from strings(v, path + (i,))
    elif isinstance(node, str):
        yield path, node


def expressions(node):
    """(path, expression) for every ${{ }} and every `if:` (implicitly an expression)."""
    for path, s in strings(node):
        if path and path[-1] == "if":
            yield path, EXPR.sub(lambda m: m.group(1), s)
        else:
            for m in EXPR.finditer(s):
                yield path, m.group(1)


def action_name(uses):
    return uses.split("@")[0]


def action_major(uses):
    m = re.search(r"@v(\d+)", uses)
    return int(m.group(1)) if m else None


def written_outputs(script):
    return set(re.findall(r'(?m)\b([A-Za-z_][\w-]*)=[^\n]*>>\s*"\$GITHUB_OUTPUT"', script))


def key_variables():
    """The variables paperboy reads the LLM key from, as data/paperboy.ini states them."""
    ini = read_text(os.path.join(ROOT, "data", "paperboy.ini"))
    line = re.search(r"The key is read from the environment only: (.*)\n;? *(.*)", ini)
    names = re.findall(r"\b[A-Z][A-Z0-9_]*_KEY\b", line.group(1) + line.group(2))
    assert names, "no key variable named in data/paperboy.ini"
    return names


def cron_times(minute, hour):
    """{(hour, minute)} of a cron entry's first two fields (*, a, a-b, lists, /step)."""
    def field(text, lo, hi):
        values = set()
        for part in text.split(","):
            rng, _, step = part.partition("/")
            step = int(step) if step else 1
            if rng == "*":
                a, b = lo, hi
            elif "-" in rng:
                a, b = (int(x) for x in rng.split("-"))
            else:
                a = b = int(rng)
                if step != 1:
                    b = hi
            if not (lo <= a <= b <= hi):
                raise ValueError(f"cron field {text!r} out of range")
            values.update(range(a, b + 1, step))
        return values
    return {(h, m) for h in field(hour, 0, 23) for m in field(minute, 0, 59)}


def unit_entries(path):
    """[(section, key, value)] of a systemd unit file; keys may repeat."""
    out, section = [], None
    for raw in read_text(path).splitlines():
        line = raw.strip()
        if not line or line[0] in "#;":
            continue
        if line.startswith("["):
            section = line.strip("[]")
            continue
        k, _, v = line.partition("=")
        out.append((section, k.strip(), v.strip()))
    return out


def unit_values(entries, section, key):
    return [v for s, k, v in entries if s == section and k == key]


def timer_utc_times():
    """{(hour, minute)} in UTC of the timer's OnCalendar lines, from systemd itself, and the
    same computed with the zone database, which must agree."""
    times = set()
    specs = unit_values(unit_entries(TIMER), "Timer", "OnCalendar")
    for spec in specs:
        p = subprocess.run(["systemd-analyze", "calendar", "--iterations=1", spec],
                           capture_output=True, text=True, env={**os.environ, "TZ": "UTC",
                                                                "SYSTEMD_PAGER": "cat"})
        assert p.returncode == 0, p.stderr
        m = re.search(r"Next elapse: \w+ \d{4}-\d\d-\d\d (\d\d):(\d\d):00 UTC", p.stdout)
        assert m, p.stdout
        from_systemd = (int(m.group(1)), int(m.group(2)))
        m = re.fullmatch(r"\*-\*-\* (\d\d):(\d\d):00 ([\w/]+)", spec)
        assert m, spec
        local = datetime.datetime(2026, 1, 15, int(m.group(1)), int(m.group(2)),
                                  tzinfo=zoneinfo.ZoneInfo(m.group(3)))
        utc = local.astimezone(datetime.timezone.utc)
        assert (utc.hour, utc.minute) == from_systemd, (spec, utc, from_systemd)
        times.add(from_systemd)
    return specs, times


def crontab_jobs():
    """(variables, [(five fields, command)]) of the example crontab."""
    env, jobs = {}, []
    for line in read_text(CRONTAB).splitlines():
        s = line.strip()
        if not s or s.startswith("#"):
            continue
        m = re.fullmatch(r"([A-Za-z_][A-Za-z0-9_]*)\s*=\s*(.*)", s)
        if m:
            env[m.group(1)] = m.group(2)
            continue
        parts = s.split(None, 5)
        jobs.append((parts[:5], parts[5] if len(parts) == 6 else ""))
    return env, jobs


# --- the workflow's structure ------------------------------------------------------------

class WorkflowSyntaxTest(pbtest.PaperboyTestCase):
    def setUp(self):
        super().setUp()
        self.wf = load_workflow()
        self.jobs = self.wf["jobs"]

    def assertKeys(self, mapping, allowed, where):
        self.assertIsInstance(mapping, dict, where)
        self.assertFalse(set(mapping) - allowed, f"unknown keys at {where}")

    def all_steps(self):
        for jid, job in self.jobs.items():
            for i, step in enumerate(job.get("steps", [])):
                yield jid, i, step

    def test_yaml_1_1_on_is_handled(self):
        with open(WORKFLOW, encoding="utf-8") as f:
            raw = yaml.safe_load(f)
        self.assertIn(True, raw)          # what PyYAML makes of `on:`
        self.assertNotIn("on", raw)
        self.assertIn("on", self.wf)      # and what load_workflow gives back

    def test_triggers(self):
        on = self.wf["on"]
        self.assertKeys(on, EVENT_KEYS, "on")
        for entry in on["schedule"]:
            self.assertKeys(entry, SCHEDULE_KEYS, "on.schedule[]")
        crons = [e["cron"] for e in on["schedule"]]
        # 09:00 and 21:00 Asia/Shanghai
        self.assertEqual(crons, ["0 1 * * *", "0 13 * * *"])
        dispatch = on["workflow_dispatch"]
        self.assertKeys(dispatch, DISPATCH_KEYS, "on.workflow_dispatch")
        self.assertEqual(list(dispatch["inputs"]), ["date"])
        date = dispatch["inputs"]["date"]
        self.assertKeys(date, INPUT_KEYS, "on.workflow_dispatch.inputs.date")
        self.assertIn(date["type"], INPUT_TYPES)
        self.assertEqual(date["type"], "string")
        self.assertIs(date["required"], False)
        self.assertIn("YYYY-MM-DD", date["description"])

    def test_known_keys_at_every_level(self):
        self.assertKeys(self.wf, TOP_KEYS, "the workflow")
        self.assertIsInstance(self.wf["name"], str)
        self.assertKeys(self.wf["concurrency"], CONCURRENCY_KEYS, "concurrency")
        for k, v in self.wf.get("env", {}).items():
            self.assertIsInstance(v, str, f"env.{k}: quote it, env values are strings")
        self.assertTrue(self.jobs)
        for jid, job in self.jobs.items():
            self.assertRegex(jid, r"^[A-Za-z_][\w-]*$")
            self.assertKeys(job, JOB_KEYS, f"jobs.{jid}")
            self.assertIn("runs-on", job, f"jobs.{jid}")
            self.assertIsInstance(job["steps"], list)
            self.assertTrue(job["steps"], f"jobs.{jid} has no steps")
            if "container" in job:
                c = job["container"]
                if isinstance(c, dict):
                    self.assertKeys(c, CONTAINER_KEYS, f"jobs.{jid}.container")
                else:
                    self.assertIsInstance(c, str)
            if "environment" in job:
                self.assertKeys(job["environment"], ENVIRONMENT_KEYS, f"jobs.{jid}.environment")
            if "defaults" in job:
                self.assertKeys(job["defaults"], DEFAULTS_KEYS, f"jobs.{jid}.defaults")
                self.assertKeys(job["defaults"]["run"], DEFAULTS_RUN_KEYS, f"jobs.{jid}.defaults.run")
            for need in ([job["needs"]] if isinstance(job.get("needs"), str) else job.get("needs", [])):
                self.assertIn(need, self.jobs, f"jobs.{jid}.needs")
            self.assertIsInstance(job.get("timeout-minutes", 1), int)

    def test_every_step_has_exactly_one_of_uses_and_run(self):
        n = 0
        for jid, i, step in self.all_steps():
            where = f"jobs.{jid}.steps[{i}]"
            self.assertKeys(step, STEP_KEYS, where)
            self.assertEqual(len({"uses", "run"} & set(step)), 1, where)
            self.assertIn("name", step, where)
            if "uses" in step:
                self.assertRegex(step["uses"], PINNED, f"{where}: pin the action to a version")
                self.assertNotIn("shell", step, where)
            else:
                self.assertIsInstance(step["run"], str, where)
                self.assertNotIn("with", step, where)
                # No ${{ }} inside a script: values reach it through env, never spliced
                # into the shell text (where an input could inject commands).
                self.assertNotIn("${{", step["run"], where)
            n += 1
        self.assertGreaterEqual(n, 10)
        for jid, job in self.jobs.items():
            ids = [s["id"] for s in job["steps"] if "id" in s]
            self.assertEqual(len(ids), len(set(ids)), f"jobs.{jid}: step ids repeat")

    def test_the_scripts_are_bash_shellcheck_accepts(self):
        checked = 0
        for jid, i, step in self.all_steps():
            if "run" not in step:
                continue
            shell = step.get("shell") or self.jobs[jid].get("defaults", {}).get("run", {}).get("shell")
            # ubuntu-latest runs bash by default; a container job must say so (its default is sh).
            if "container" in self.jobs[jid]:
                self.assertEqual(shell, "bash", f"jobs.{jid}")
            path = os.path.join(self.tmp, f"{jid}-{i}.sh")
            with open(path, "w", encoding="utf-8") as f:
                f.write("#!/bin/bash\n" + step["run"])
            p = subprocess.run(["bash", "-n", path], capture_output=True, text=True)
            self.assertEqual(p.returncode, 0, f"jobs.{jid}.steps[{i}]: {p.stderr}")
            p = subprocess.run(["shellcheck", "--shell=bash", "--severity=warning", path],
                               capture_output=True, text=True)
            self.assertEqual(p.returncode, 0, f"jobs.{jid}.steps[{i}] ({step['name']}):\n{p.stdout}")
            self.assertNotRegex(step["run"], r"(?m)^\s*set\s+-\w*x", "set -x prints every command")
            checked += 1
        self.assertGreaterEqual(checked, 8)

    def test_expressions_name_real_contexts_steps_and_outputs(self):
        n = 0
        for path, expr in expressions(self.wf):
            code = re.sub(r"'(?:[^']|'')*'", "''", expr)   # string literals out
            for fn in re.findall(r"\b([A-Za-z_]\w*)\s*\(", code):
                self.assertIn(fn, FUNCTIONS, f"{path}: {expr}")
            for ctx in re.findall(r"(?<![\w.])([A-Za-z_][\w-]*)\s*\.", code):
                self.assertIn(ctx, CONTEXTS, f"{path}: {expr}")
            jid = path[1] if path[0] == "jobs" else None
            for sid, what in re.findall(r"\bsteps\.([\w-]+)\.(outputs\.[\w-]+|outcome|conclusion)", code):
                self.assertIsNotNone(jid, path)
                steps = self.jobs[jid]["steps"]
                ids = [s.get("id") for s in steps]
                self.assertIn(sid, ids, f"{path}: {expr}")
                if path[2] == "steps":  # a step may only read the steps before it
                    self.assertLess(ids.index(sid), path[3], f"{path}: {expr}")
                if what.startswith("outputs."):
                    step = steps[ids.index(sid)]
                    name = what.split(".", 1)[1]
                    made = (written_outputs(step["run"]) if "run" in step
                            else ACTION_OUTPUTS[action_name(step["uses"])])
                    self.assertIn(name, made, f"{path}: {expr}")
            for need, name in re.findall(r"\bneeds\.([\w-]+)\.outputs\.([\w-]+)", code):
                needs = self.jobs[jid].get("needs", [])
                self.assertIn(need, [needs] if isinstance(needs, str) else needs, f"{path}: {expr}")
                self.assertIn(name, self.jobs[need].get("outputs", {}), f"{path}: {expr}")
            n += 1
        self.assertGreater(n, 15)

    def test_permissions(self):
        self.assertEqual(self.wf["permissions"], {})  # nothing unless a job asks
        for jid, job in self.jobs.items():
            perms = job["permissions"]
            self.assertIsInstance(perms, dict, jid)
            for scope, level in perms.items():
                self.assertIn(scope, PERMISSION_SCOPES, jid)
                self.assertIn(level, {"read", "write", "none"}, jid)
                if scope == "id-token":
                    self.assertIn(level, {"write", "none"}, jid)
        edition = self.jobs["edition"]
        self.assertEqual(edition["permissions"]["contents"], "write")  # the data branch
        self.assertNotIn("id-token", edition["permissions"])

    def test_pages_deploy(self):
        build = [(jid, s) for jid, _, s in self.all_steps()
                 if s.get("uses", "").startswith("actions/upload-pages-artifact@")]
        deploy = [(jid, s) for jid, _, s in self.all_steps()
                  if s.get("uses", "").startswith("actions/deploy-pages@")]
        self.assertEqual(len(build), 1)
        self.assertEqual(len(deploy), 1)
        (bjid, upload), (djid, dstep) = build[0], deploy[0]
        self.assertNotEqual(bjid, djid)
        djob = self.jobs[djid]
        self.assertEqual(djob["needs"], bjid)
        self.assertEqual(djob["permissions"], {"pages": "write", "id-token": "write"})
        self.assertEqual(djob["environment"]["name"], "github-pages")
        self.assertEqual(djob["environment"]["url"], "${{ steps.%s.outputs.page_url }}" % dstep["id"])
        # The deploy still runs when the day failed, but not after a cancel, and only
        # once there is a site.
        self.assertIn("!cancelled()", djob["if"])
        self.assertIn(f"needs.{bjid}.outputs.site == 'true'", djob["if"])
        # deploy-pages v4 reads only the artifacts upload-pages-artifact v3+ makes.
        if action_major(upload["uses"]) >= 3:
            self.assertGreaterEqual(action_major(dstep["uses"]), 4)
        site = self.step(bjid, "site")
        m = re.search(r"paperboy site .*--site-dir (\S+)", site["run"])
        self.assertEqual(upload["with"]["path"], m.group(1))
        self.assertEqual(self.jobs[bjid]["outputs"]["site"], "${{ steps.site.outputs.built }}")
        configure = [s for _, _, s in self.all_steps() if s.get("uses", "").startswith("actions/configure-pages@")]
        self.assertEqual(len(configure), 1)
        self.assertIn(self.jobs[bjid]["permissions"].get("pages"), {"read", "write"})

    def step(self, jid, sid):
        found = [s for s in self.jobs[jid]["steps"] if s.get("id") == sid]
        self.assertEqual(len(found), 1, f"jobs.{jid}: step id {sid}")
        return found[0]

    def test_paid_work_is_kept_after_a_failed_day(self):
        steps = self.jobs["edition"]["steps"]
        order = [s.get("id") for s in steps]
        run_at = order.index("run")
        self.assertLess(order.index("data"), run_at)
        self.assertLess(run_at, order.index("prune"))
        self.assertLess(order.index("prune"), order.index("commit"))
        self.assertLess(order.index("commit"), order.index("site"))
        after = steps[run_at + 1:]
        self.assertGreaterEqual(len(after), 4)
        for s in after:
            # Each step after `paperboy run` runs whatever its status was (a failed step
            # would otherwise skip everything after it).
            self.assertIn("always()", s.get("if", ""), s["name"])
        for sid in ("prune", "commit", "site"):
            cond = self.step("edition", sid)["if"]
            self.assertIn("steps.data.outcome == 'success'", cond)
            self.assertIn("steps.run.outcome != 'skipped'", cond)
        run = self.step("edition", "run")
        self.assertNotIn("continue-on-error", run)  # the failure must show on the job
        self.assertRegex(run["run"], r"build/paperboy \"\$\{args\[@\]\}\"")
        self.assertIn("args=(run --out data", run["run"])

    def test_the_secret_only_reaches_paperboy_through_its_environment(self):
        keys = key_variables()
        uses = [(p, s) for p, s in strings(self.wf) if "secrets." in s]
        self.assertEqual(len(uses), 1, uses)
        path, value = uses[0]
        self.assertEqual(path[:3], ("jobs", "edition", "steps"))
        self.assertEqual(path[4], "env")
        var = path[5]
        self.assertIn(var, keys)
        self.assertEqual(value, "${{ secrets.%s }}" % var)
        step = self.jobs["edition"]["steps"][path[3]]
        self.assertEqual(step["id"], "run")
        for _, _, s in self.all_steps():
            # Never on a command line, never echoed: paperboy reads it from the environment.
            self.assertNotIn(var, s.get("run", ""))
            self.assertNotRegex(s.get("run", ""), r"echo[^\n]*(KEY|TOKEN|secret)")
        # The job's token goes to the keepalive step only.
        tokens = [p for p, s in strings(self.wf) if "github.token" in s or "GITHUB_TOKEN" in s]
        self.assertEqual([p[:2] for p in tokens], [("jobs", "keepalive")])

    def test_one_run_at_a_time_on_the_data_branch(self):
        c = self.wf["concurrency"]
        self.assertTrue(c["group"])
        self.assertNotIn("${{", c["group"])  # one group for every run of the workflow
        self.assertIs(c["cancel-in-progress"], False)

    def test_schedule_kept_alive(self):
        job = self.jobs["keepalive"]
        self.assertEqual(job["if"], "github.event_name == 'schedule'")
        self.assertEqual(job["permissions"], {"actions": "write"})
        self.assertNotIn("needs", job)  # it runs even when the edition job fails
        script = job["steps"][0]["run"]
        self.assertIn("gh api --method PUT", script)
        self.assertIn("/actions/workflows/$workflow/enable", script)

    def test_both_schedules_are_told_apart(self):
        crons = [e["cron"] for e in self.wf["on"]["schedule"]]
        for sid in ("run", "commit"):
            step = self.step("edition", sid)
            self.assertEqual(step["env"]["SCHEDULE"], "${{ github.event.schedule }}")
            for cron in crons:
                self.assertIn(f'"{cron}")', step["run"], sid)

    def test_built_as_the_readme_builds(self):
        edition = self.jobs["edition"]
        self.assertEqual(edition["container"], "debian:12")
        self.assertIn("make paperboy", [s.get("run", "").strip() for s in edition["steps"]])
        # git before checkout, or actions/checkout downloads a tarball without a repository
        first_uses = next(i for i, s in enumerate(edition["steps"]) if "uses" in s)
        self.assertIn("git", " ".join(s.get("run", "") for s in edition["steps"][:first_uses]))
        self.assertTrue(edition["steps"][first_uses]["uses"].startswith("actions/checkout@"))
        # The Makefile target it calls exists, and runs scripts/deps.sh.
        self.assertRegex(read_text(os.path.join(ROOT, "Makefile")), r"(?m)^paperboy: configure")


# --- the workflow's steps, run -------------------------------------------------------------

def git(*args, cwd=None, env=None, check=True):
    p = subprocess.run(["git", *args], cwd=cwd, env=env, capture_output=True, text=True)
    if check and p.returncode != 0:
        raise AssertionError(f"git {' '.join(args)}: {p.stderr}")
    return p.stdout.strip()


class Step:
    def __init__(self, proc, outputs, summary):
        self.rc = proc.returncode
        self.stdout, self.stderr = proc.stdout, proc.stderr
        self.outputs, self.summary = outputs, summary

    def __repr__(self):
        return f"exit {self.rc}\n--- stdout ---\n{self.stdout}--- stderr ---\n{self.stderr}"


class Runner:
    """A runner's workspace: a clone of `origin` (the repository on GitHub) with paperboy
    built in build/, where the workflow's steps run as GitHub runs them."""

    def __init__(self, test, wf, origin, name, binary=None):
        self.test, self.wf = test, wf
        self.home = os.path.join(test.tmp, "home")  # git config --global lands here
        os.makedirs(self.home, exist_ok=True)
        self.temp = os.path.join(test.tmp, name + "-temp")
        os.makedirs(self.temp)
        self.ws = os.path.join(test.tmp, name)
        git("clone", "-q", origin, self.ws, env=self.git_env())
        os.makedirs(os.path.join(self.ws, "build"))
        os.symlink(binary or pbtest.paperboy_bin(), os.path.join(self.ws, "build", "paperboy"))
        self.outputs = {}
        self.context = {}
        self.n = 0

    def git_env(self):
        return {**pbtest.clean_env(), "HOME": self.home, "GIT_CONFIG_NOSYSTEM": "1"}

    def resolve(self, value):
        def one(m):
            expr = m.group(1).strip()
            sm = re.fullmatch(r"steps\.([\w-]+)\.outputs\.([\w-]+)", expr)
            if sm:
                return self.outputs.get(sm.group(1), {}).get(sm.group(2), "")
            if expr not in self.context:
                raise AssertionError(f"the test has no value for ${{{{ {expr} }}}}")
            return self.context[expr]
        return EXPR.sub(one, str(value))

    def step(self, sid, env=None, job="edition", path_dirs=()):
        found = [s for s in self.wf["jobs"][job]["steps"] if s.get("id") == sid]
        assert len(found) == 1, sid
        script = found[0]["run"]
        self.n += 1
        out = os.path.join(self.temp, f"output-{self.n}")
        summary = os.path.join(self.temp, f"summary-{self.n}")
        e = self.git_env()
        e.update({"GITHUB_WORKSPACE": self.ws, "GITHUB_OUTPUT": out,
                  "GITHUB_STEP_SUMMARY": summary, "RUNNER_TEMP": self.temp,
                  "GITHUB_RUN_ID": "4242", "GITHUB_REPOSITORY": "me/news",
                  "GITHUB_WORKFLOW_REF": "me/news/.github/workflows/paperboy.yml@refs/heads/main"})
        if path_dirs:
            e["PATH"] = os.pathsep.join([*path_dirs, e["PATH"]])
        for scope in (self.wf.get("env", {}), self.wf["jobs"][job].get("env", {}),
                      found[0].get("env", {})):
            for k, v in scope.items():
                e[k] = self.resolve(v)
        e.update(env or {})
        path = os.path.join(self.temp, f"step-{self.n}.sh")
        with open(path, "w", encoding="utf-8") as f:
            f.write(script)
        proc = subprocess.run(GITHUB_BASH + [path], cwd=self.ws, env=e, capture_output=True,
                              text=True, timeout=300)
        outputs = {}
        if os.path.exists(out):
            for line in read_text(out).splitlines():
                k, _, v = line.partition("=")
                outputs[k] = v
        self.outputs[sid] = outputs
        return Step(proc, outputs, read_text(summary) if os.path.exists(summary) else "")


class WorkflowStepsTest(pbtest.PaperboyTestCase):
    def setUp(self):
        super().setUp()
        self.wf = load_workflow()
        # The repository on GitHub: main holds the code, and no data branch yet.
        self.origin = os.path.join(self.tmp, "origin.git")
        seed = os.path.join(self.tmp, "seed")
        env = {**pbtest.clean_env(), "HOME": os.path.join(self.tmp, "home"), "GIT_CONFIG_NOSYSTEM": "1"}
        os.makedirs(seed)
        git("init", "-q", "-b", "main", seed, env=env)
        for name, text in (("README.md", "code\n"), (".gitignore", "build/\n_site/\n")):
            with open(os.path.join(seed, name), "w") as f:
                f.write(text)
        git("add", "-A", cwd=seed, env=env)
        git("-c", "user.name=dev", "-c", "user.email=dev@example.org", "commit", "-q", "-m", "code",
            cwd=seed, env=env)
        git("init", "-q", "--bare", "-b", "main", self.origin, env=env)
        git("push", "-q", self.origin, "main", cwd=seed, env=env)
        self.env = env

    def runner(self, name, hf=None, llm=None, date="", schedule="", binary=None):
        r = Runner(self, self.wf, self.origin, name, binary)
        r.context.update({
            "secrets.PAPERBOY_LLM_KEY": KEY,
            "vars.PAPERBOY_LLM_URL": llm.url if llm else "",
            "vars.PAPERBOY_LLM_MODEL": "",
            "vars.PAPERBOY_TTS_URL": "",
            "inputs.date": date,
            "github.event.schedule": schedule,
        })
        r.outputs["pages"] = {"base_url": PAGES_URL}  # actions/configure-pages
        r.hf = hf
        return r

    def run_step(self, r):
        return r.step("run", env={"PAPERBOY_HF_URL": r.hf.url} if r.hf else {})

    def origin_git(self, *args, check=True):
        return git("--git-dir", self.origin, *args, env=self.env, check=check)

    def data_files(self):
        """{path: bytes} of the data branch's commit."""
        data = subprocess.run(["git", "--git-dir", self.origin, "archive", "data"],
                              capture_output=True, env=self.env, check=True).stdout
        with tarfile.open(fileobj=io.BytesIO(data)) as t:
            return {m.name: t.extractfile(m).read() for m in t.getmembers() if m.isfile()}

    def assertOneRootCommit(self):
        self.assertEqual(self.origin_git("rev-list", "--count", "data"), "1")
        self.assertEqual(self.origin_git("rev-list", "--parents", "-n", "1", "data").split()[1:], [])
        # no history shared with the code
        p = subprocess.run(["git", "--git-dir", self.origin, "merge-base", "main", "data"],
                           capture_output=True, env=self.env)
        self.assertEqual(p.returncode, 1)

    def test_a_partial_day_keeps_what_was_paid_and_the_next_run_pays_only_the_rest(self):
        hf = self.fake_hf()
        llm = self.fake_llm(require_key=KEY)  # the secret must reach paperboy
        llm.faults([{"status": 500, "match": "VA-π", "times": 10}])

        # Day one, the first run ever: no data branch.
        r = self.runner("ws1", hf, llm, date="2025-12-26")
        with open(os.path.join(r.ws, "paperboy.ini"), "w") as f:
            f.write("[llm]\ntries = 2\n")  # the repository's own settings
        s = r.step("data")
        self.assertEqual(s.rc, 0, s)
        self.assertEqual(s.outputs["head"], "")
        self.assertIn("No data branch yet", s.stdout)
        self.assertEqual(os.listdir(os.path.join(r.ws, "data")), [".git"])  # no code in it
        s = r.step("config")
        self.assertEqual(s.rc, 0, s)
        self.assertEqual(s.outputs["file"], os.path.join(r.ws, "paperboy.ini"))
        s = self.run_step(r)
        self.assertEqual(s.rc, 3, s)        # the job fails, visibly
        self.assertEqual(s.outputs["status"], "3")
        self.assertIn("::error::A partial day", s.stdout)
        self.assertIn("partial day", s.summary)
        self.assertIn("could not translate 2512.19680", s.stderr)
        db = os.path.join(r.ws, "data", "paperboy.db")
        self.assertEqual(pbtest.query(db, "SELECT count(*) FROM translations"), [(6,)])
        # what runs after a failed step (if: always())
        s = r.step("prune")
        self.assertEqual(s.rc, 0, s)
        self.assertIn("nothing to prune", s.stdout)
        s = r.step("commit")
        self.assertEqual(s.rc, 0, s)
        self.assertOneRootCommit()
        first = self.origin_git("rev-parse", "data")
        self.assertEqual(self.origin_git("log", "-1", "--format=%s", "data"),
                         "paperboy 2025-12-26 (run by hand, run 4242)")
        files = self.data_files()
        for name in ("paperboy.db", "newsletters/2025-12-26_daily_paper.md",
                     "newsletters/2025-12-26_daily_paper.html", "reports/2025-12-26_run.json",
                     "audio/2025-12-26_daily_papers.mp3", "posters/2025-12-26_poster.png"):
            self.assertIn(name, files)
        self.assertFalse([n for n in files if n in ("README.md", ".gitignore") or n.startswith("build/")
                          or n.endswith(("-wal", "-shm"))])
        pushed = os.path.join(self.tmp, "pushed.db")
        with open(pushed, "wb") as f:
            f.write(files["paperboy.db"])
        self.assertEqual(pbtest.query(pushed, "SELECT count(*) FROM translations"), [(6,)])
        for name, body in files.items():
            self.assertNotIn(KEY.encode(), body, name)
        for text in (s.stdout, s.stderr):
            self.assertNotIn(KEY, text)

        # The evening refetch on a new runner: restored from the data branch, it asks only
        # for the paper that failed.
        llm.reset()
        r = self.runner("ws2", hf, llm, date="", schedule="0 13 * * *")
        s = r.step("data")
        self.assertEqual(s.rc, 0, s)
        self.assertEqual(s.outputs["head"], first)
        self.assertIn("Restored the data branch", s.stdout)
        self.assertEqual(r.step("config").rc, 0)
        s = self.run_step(r)
        # today in Asia/Shanghai has no papers on the fake server: a rerun of the day needs
        # its date, as the dispatch input gives it
        self.assertEqual(s.rc, 0, s)
        self.assertEqual(s.outputs["status"], "4")
        self.assertIn("evening refetch", s.stdout)
        r.context["inputs.date"] = "2025-12-26"
        s = self.run_step(r)
        self.assertEqual(s.rc, 0, s)
        self.assertEqual(s.outputs["status"], "0")
        asked = [q for q in llm.requests() if q.get("title")]
        self.assertEqual([q["title"][:4] for q in asked], ["VA-π"])
        s = r.step("commit")
        self.assertEqual(s.rc, 0, s)
        self.assertOneRootCommit()
        second = self.origin_git("rev-parse", "data")
        self.assertNotEqual(second, first)
        self.assertEqual(self.origin_git("log", "-1", "--format=%s", "data"),
                         "paperboy 2025-12-26 (evening refetch, run 4242)")
        with open(pushed, "wb") as f:
            f.write(self.data_files()["paperboy.db"])
        self.assertEqual(pbtest.query(pushed, "SELECT count(*) FROM translations"), [(7,)])

        # A run that changed nothing pushes nothing.
        r = self.runner("ws3", hf, llm)
        self.assertEqual(r.step("data").rc, 0)
        s = r.step("commit")
        self.assertEqual(s.rc, 0, s)
        self.assertIn("Nothing new to commit", s.stdout)
        self.assertEqual(self.origin_git("rev-parse", "data"), second)

        # A data branch moved by someone else meanwhile is not overwritten.
        r = self.runner("ws4", hf, llm)
        self.assertEqual(r.step("data").rc, 0)
        with open(os.path.join(r.ws, "data", "note.txt"), "w") as f:
            f.write("new\n")
        r.outputs["data"]["head"] = first  # as if restored before the second push
        s = r.step("commit")
        self.assertNotEqual(s.rc, 0, s)
        self.assertIn("stale info", s.stderr)
        self.assertEqual(self.origin_git("rev-parse", "data"), second)

    def test_a_day_without_papers_is_a_success(self):
        hf = self.fake_hf()
        r = self.runner("ws", hf, date="2025-12-27", schedule="0 1 * * *")
        self.assertEqual(r.step("data").rc, 0)
        self.assertEqual(r.step("config").rc, 0)
        s = self.run_step(r)
        self.assertEqual(s.rc, 0, s)
        self.assertEqual(s.outputs["status"], "4")
        self.assertIn("::notice::No papers for this date", s.stdout)
        self.assertIn("The day's edition (09:00 Asia/Shanghai)", s.stdout)

    def test_a_failed_day_fails_the_step(self):
        hf = self.fake_hf()
        hf.faults([{"status": 404, "body": "{\"error\":\"Not found\"}"}])
        r = self.runner("ws", hf, date="2025-12-26")
        self.assertEqual(r.step("data").rc, 0)
        self.assertEqual(r.step("config").rc, 0)
        s = self.run_step(r)
        self.assertEqual(s.rc, 1, s)
        self.assertEqual(s.outputs["status"], "1")
        self.assertIn("::error::paperboy run failed (exit 1)", s.stdout)
        self.assertIn("**failed**", s.summary)

    def test_a_malformed_date_is_refused_before_paperboy_runs(self):
        hf = self.fake_hf()
        r = self.runner("ws", hf, date="2025-12-26 --force")
        self.assertEqual(r.step("data").rc, 0)
        self.assertEqual(r.step("config").rc, 0)
        s = self.run_step(r)
        self.assertEqual(s.rc, 2, s)
        self.assertIn("::error::date must be YYYY-MM-DD", s.stdout)
        self.assertEqual(hf.requests(), [])
        self.assertFalse(os.path.exists(os.path.join(r.ws, "data", "paperboy.db")))

    def test_settings_without_a_paperboy_ini_publish_at_the_pages_address(self):
        r = self.runner("ws")
        s = r.step("config")
        self.assertEqual(s.rc, 0, s)
        cfg = s.outputs["file"]
        self.assertTrue(cfg.startswith(r.temp), cfg)  # not in the repository or the data
        p = pbtest.run(["config", "--config", cfg])
        self.assertExit(p, 0)
        self.assertRegex(p.stdout, rf"(?m)^site\.base_url += {re.escape(PAGES_URL)}/  \(file ")
        self.assertRegex(p.stdout, rf"(?m)^feed\.base_url += {re.escape(PAGES_URL)}/  \(file ")

    def test_pruning_only_when_the_archive_is_over_the_limit(self):
        hf = self.fake_hf()
        r = self.runner("ws", hf)
        self.assertEqual(r.step("data").rc, 0)
        data = os.path.join(r.ws, "data")
        self.assertExit(pbtest.run(["fetch", "--out", data, "--date", "2025-12-26", "--hf-url", hf.url]), 0)
        db = os.path.join(data, "paperboy.db")
        recent = subprocess.run(["date", "-u", "+%F"], capture_output=True, text=True).stdout.strip()
        subprocess.run(["sqlite3", db, "INSERT INTO raw_responses (date, page, url, status, source,"
                        " body_sha256, body, received_at) VALUES ('%s', 0, 'u', 200, 'api', 'x', x'00',"
                        " '%sT00:00:00Z')" % (recent, recent)], check=True)
        before = pbtest.archive_dump(db, skip=("runs", "raw_responses"))
        s = r.step("prune")
        self.assertEqual(s.rc, 0, s)
        self.assertIn("nothing to prune (limit 80 MB)", s.stdout)
        self.assertEqual(pbtest.query(db, "SELECT count(*) FROM raw_responses"), [(2,)])
        s = r.step("prune", env={"PRUNE_DB_MB": "0"})
        self.assertEqual(s.rc, 0, s)
        self.assertIn("Pruned raw responses older than 60 days", s.stdout)
        self.assertEqual(pbtest.query(db, "SELECT date FROM raw_responses"), [(recent,)])
        self.assertEqual(pbtest.archive_dump(db, skip=("runs", "raw_responses")), before)
        # the archive still makes the day's edition
        self.assertExit(pbtest.run(["render", "--out", data, "--date", "2025-12-26"]), 0)

    def test_the_site_step_calls_paperboy_site_as_the_contract_says(self):
        # A stand-in paperboy that records its arguments, for the wiring of the step.
        stub = os.path.join(self.tmp, "stub-paperboy")
        log = os.path.join(self.tmp, "stub-args")
        with open(stub, "w") as f:
            f.write("#!/bin/sh\nprintf '%%s\\n' \"$@\" > %s\n"
                    "mkdir -p _site && echo '<!doctype html>' > _site/index.html\n" % shlex.quote(log))
        os.chmod(stub, 0o755)
        r = self.runner("ws", binary=stub)
        self.assertEqual(r.step("data").rc, 0)
        s = r.step("config")
        cfg = s.outputs["file"]
        s = r.step("site")
        self.assertEqual(s.rc, 0, s)
        self.assertEqual(read_text(log).splitlines(),
                         ["site", "--out", "data", "--config", cfg, "--site-dir", "_site"])
        self.assertEqual(s.outputs["built"], "true")
        self.assertRegex(s.stdout, r"Site: \d+ MB")

    def test_the_site_step_with_paperboy_site(self):
        hf = self.fake_hf()
        llm = self.fake_llm(require_key=KEY)
        r = self.runner("ws", hf, llm, date="2025-12-26")
        self.assertEqual(r.step("data").rc, 0)
        self.assertEqual(r.step("config").rc, 0)
        self.assertEqual(self.run_step(r).rc, 0)
        s = r.step("site")
        self.assertEqual(s.rc, 0, s)
        self.assertEqual(s.outputs["built"], "true")
        site = os.path.join(r.ws, "_site")
        self.assertTrue(os.path.exists(os.path.join(site, "index.html")))
        self.assertTrue(os.path.exists(os.path.join(site, "days", "2025-12-26.html")))
        for dirpath, _, names in os.walk(site):
            for n in names:
                self.assertFalse(n.endswith(".db") or "_run.json" in n, os.path.join(dirpath, n))

    def test_keepalive_enables_this_very_workflow(self):
        bindir = os.path.join(self.tmp, "bin")
        os.makedirs(bindir)
        log = os.path.join(self.tmp, "gh-args")
        with open(os.path.join(bindir, "gh"), "w") as f:
            f.write("#!/bin/sh\n[ -n \"$GH_TOKEN\" ] || exit 9\nprintf '%%s\\n' \"$@\" > %s\n" % shlex.quote(log))
        os.chmod(os.path.join(bindir, "gh"), 0o755)
        r = self.runner("ws")
        r.context["github.token"] = "ghs_token"
        s = r.step("enable", job="keepalive", path_dirs=[bindir])
        self.assertEqual(s.rc, 0, s)
        self.assertEqual(read_text(log).splitlines(),
                         ["api", "--method", "PUT", "repos/me/news/actions/workflows/paperboy.yml/enable"])
        self.assertIn("Enabled paperboy.yml", s.stdout)


# --- systemd ---------------------------------------------------------------------------------

class SystemdTest(pbtest.PaperboyTestCase):
    def units(self, service_text=None):
        """The units in a temporary folder, ExecStart pointing at the built binary."""
        d = os.path.join(self.tmp, "units")
        os.makedirs(d, exist_ok=True)
        text = service_text if service_text is not None else read_text(SERVICE)
        self.assertIn("ExecStart=/usr/local/bin/paperboy ", text)
        text = text.replace("ExecStart=/usr/local/bin/paperboy ", f"ExecStart={pbtest.paperboy_bin()} ")
        with open(os.path.join(d, "paperboy.service"), "w") as f:
            f.write(text)
        shutil.copy(TIMER, d)
        return os.path.join(d, "paperboy.service"), os.path.join(d, "paperboy.timer")

    def verify(self, *paths):
        env = {**os.environ, "SYSTEMD_PAGER": "cat", "SYSTEMD_COLORS": "0", "SYSTEMD_LOG_COLOR": "0"}
        return subprocess.run(["systemd-analyze", "verify", "--man=no", *paths],
                              capture_output=True, text=True, env=env, cwd=self.tmp)

    def test_units_verify_without_warnings(self):
        service, timer = self.units()
        p = self.verify(service, timer)
        self.assertEqual(p.returncode, 0, p.stderr)
        noise = [l for l in (p.stdout + p.stderr).splitlines() if "paperboy" in l]
        self.assertEqual(noise, [])
        # The check sees a bad unit: an unknown key is only a warning (exit 0), so the
        # absence of warnings above is what counts.
        service, _ = self.units(read_text(SERVICE) + "Frobnicate=yes\n")
        p = self.verify(service, timer)
        self.assertIn("Unknown key 'Frobnicate'", p.stderr)
        # So is a calendar that does not parse, while the timer's other line does.
        service, timer = self.units()
        with open(timer, "w") as f:
            f.write(read_text(TIMER).replace("09:00:00", "25:00:00"))
        p = self.verify(service, timer)
        self.assertIn("Failed to parse calendar specification", p.stderr)

    def test_hardening_passes_the_security_review(self):
        service, _ = self.units()
        p = subprocess.run(["systemd-analyze", "security", "--offline=yes", "--threshold=20",
                            "--no-pager", service], capture_output=True, text=True,
                           env={**os.environ, "SYSTEMD_COLORS": "0"})
        self.assertEqual(p.returncode, 0, p.stdout + p.stderr)
        m = re.search(r"Overall exposure level for paperboy\.service: (\d+\.\d+)", p.stdout)
        self.assertLessEqual(float(m.group(1)), 2.0)

    def test_service_settings(self):
        e = unit_entries(SERVICE)
        one = lambda sec, key: unit_values(e, sec, key)[-1]
        self.assertEqual(one("Service", "Type"), "oneshot")
        self.assertEqual(one("Service", "DynamicUser"), "yes")
        self.assertEqual(one("Service", "StateDirectory"), "paperboy")
        self.assertEqual(one("Service", "EnvironmentFile"), "/etc/paperboy/paperboy.env")
        self.assertEqual(one("Service", "ProtectSystem"), "strict")
        self.assertIn("4", one("Service", "SuccessExitStatus").split())
        families = one("Service", "RestrictAddressFamilies").split()
        self.assertIn("AF_INET", families)
        self.assertIn("AF_INET6", families)
        for key in ("PrivateNetwork", "IPAddressDeny", "ReadOnlyPaths"):
            self.assertEqual(unit_values(e, "Service", key), [], key)
        self.assertIn("network-online.target", one("Unit", "Wants"))
        self.assertIn("network-online.target", one("Unit", "After"))
        argv = shlex.split(one("Service", "ExecStart"))
        self.assertEqual(argv[1], "run")
        self.assertEqual(argv[argv.index("--out") + 1], "/var/lib/paperboy")  # the StateDirectory
        t = unit_entries(TIMER)
        self.assertEqual(unit_values(t, "Timer", "Persistent"), ["true"])
        self.assertEqual(unit_values(t, "Install", "WantedBy"), ["timers.target"])

    def test_exec_start_runs(self):
        """ExecStart as systemd would run it: the key file's variables in the environment,
        the state directory for --out; a day without papers is in SuccessExitStatus."""
        e = unit_entries(SERVICE)
        state = os.path.join(self.tmp, "state")
        etc = os.path.join(self.tmp, "etc")
        os.makedirs(etc)
        shutil.copy(os.path.join(ROOT, "data", "paperboy.ini"), os.path.join(etc, "paperboy.ini"))
        empty = os.path.join(self.tmp, "no-days")
        os.makedirs(empty)
        hf = self.fake_hf(fixtures_dir=empty)
        llm = self.fake_llm(require_key=KEY)
        with open(os.path.join(etc, "paperboy.env"), "w") as f:
            f.write(f"PAPERBOY_LLM_KEY={KEY}\nPAPERBOY_HF_URL={hf.url}\nPAPERBOY_LLM_URL={llm.url}\n")
        argv = shlex.split(unit_values(e, "Service", "ExecStart")[-1])
        argv = [a.replace("/var/lib/paperboy", state).replace("/etc/paperboy", etc) for a in argv[1:]]
        env = {}
        envfile = unit_values(e, "Service", "EnvironmentFile")[-1].replace("/etc/paperboy", etc)
        for line in read_text(envfile).splitlines():
            k, _, v = line.partition("=")
            env[k] = v
        for v in unit_values(e, "Service", "Environment"):
            k, _, val = v.partition("=")
            env[k] = val.replace("/var/cache/paperboy", os.path.join(self.tmp, "cache"))
        p = pbtest.run(argv, env=env)
        ok = {0} | {int(x) for x in unit_values(e, "Service", "SuccessExitStatus")[-1].split()}
        self.assertEqual(p.returncode, 4, p.stderr)
        self.assertIn(p.returncode, ok)
        self.assertTrue(os.path.exists(os.path.join(state, "paperboy.db")))
        self.assertNotIn(KEY, p.stdout + p.stderr)

    def test_timer_times_are_the_workflows(self):
        specs, times = timer_utc_times()
        self.assertEqual(specs, ["*-*-* 09:00:00 Asia/Shanghai", "*-*-* 21:00:00 Asia/Shanghai"])
        self.assertEqual(times, {(1, 0), (13, 0)})
        crons = [e["cron"] for e in load_workflow()["on"]["schedule"]]
        wf_times = set()
        for c in crons:
            f = c.split()
            self.assertEqual(f[2:], ["*", "*", "*"])
            wf_times |= cron_times(f[0], f[1])
        self.assertEqual(wf_times, times)


# --- cron ------------------------------------------------------------------------------------

class CronTest(pbtest.PaperboyTestCase):
    def test_the_line_parses_and_its_times_are_the_timers(self):
        env, jobs = crontab_jobs()
        self.assertEqual(len(jobs), 1)
        fields, command = jobs[0]
        self.assertEqual(len(fields), 5)
        self.assertTrue(command)
        self.assertEqual(fields[2:], ["*", "*", "*"])  # every day
        self.assertEqual(cron_times(fields[0], fields[1]), timer_utc_times()[1])
        self.assertNotIn("%", command)  # cron turns % into a newline
        self.assertNotIn("CRON_TZ", env)  # Debian's cron has none: the times are UTC
        argv = shlex.split(command)
        self.assertEqual(argv[:2], ["flock", "-n"])
        self.assertIn("paperboy run --out /var/lib/paperboy", command)

    def test_the_command_runs_and_never_overlaps(self):
        env, jobs = crontab_jobs()
        command = jobs[0][1]
        state = os.path.join(self.tmp, "state")
        etc = os.path.join(self.tmp, "etc")
        bindir = os.path.join(self.tmp, "bin")
        for d in (state, etc, bindir):
            os.makedirs(d)
        os.symlink(pbtest.paperboy_bin(), os.path.join(bindir, "paperboy"))
        shutil.copy(os.path.join(ROOT, "data", "paperboy.ini"), os.path.join(etc, "paperboy.ini"))
        empty = os.path.join(self.tmp, "no-days")
        os.makedirs(empty)
        hf = self.fake_hf(fixtures_dir=empty)
        with open(os.path.join(etc, "paperboy.env"), "w") as f:
            f.write(f"PAPERBOY_LLM_KEY={KEY}\nPAPERBOY_HF_URL={hf.url}\n")
        command = command.replace("/var/lib/paperboy", state).replace("/etc/paperboy", etc)
        # cron runs the command with SHELL -c, in an environment of the crontab's variables
        run_env = {"HOME": state, "LOGNAME": "paperboy", "SHELL": env["SHELL"],
                   "PATH": env["PATH"].replace("/usr/local/bin", bindir)}
        # (and the sanitizers' settings, when the binary under test is the ASan build)
        run_env.update({k: v for k, v in os.environ.items() if k.endswith("SAN_OPTIONS")})
        p = subprocess.run([env["SHELL"], "-c", command], env=run_env, capture_output=True,
                           text=True, timeout=120)
        self.assertEqual(p.returncode, 4, read_text(os.path.join(state, "paperboy.log")))
        log = read_text(os.path.join(state, "paperboy.log"))
        self.assertIn("no papers for", log)
        self.assertNotIn(KEY, log)
        db = os.path.join(state, "paperboy.db")
        runs = pbtest.query(db, "SELECT count(*) FROM runs")
        self.assertTrue(os.path.exists(os.path.join(state, "paperboy.lock")))
        # While a run holds the lock, the next one does not start.
        with open(os.path.join(state, "paperboy.lock")) as lock:
            fcntl.flock(lock, fcntl.LOCK_EX)
            p = subprocess.run([env["SHELL"], "-c", command], env=run_env, capture_output=True,
                               text=True, timeout=30)
        self.assertEqual(p.returncode, 1)
        self.assertEqual(pbtest.query(db, "SELECT count(*) FROM runs"), runs)
        self.assertEqual(read_text(os.path.join(state, "paperboy.log")), log)


if __name__ == "__main__":
    pbtest.main()
