/**
 * Figure 7 (issue 22): the ask-Django read (daemon/sites/askDjango.ts, as the
 * daemon runs it: through ProjectCode, journaled in a temp journal, in its own
 * process group) of a 200-site project, from the call until its facts are
 * parsed, against a bare `manage.py check` of the same project from spawn to
 * exit: both import the settings, run `django.setup()` and Django's system
 * checks, so the ratio is what the read adds (the gate, the site rows, the
 * JSON). Measured on the demo with 200 contrib.sites rows and on the
 * django-multisite fixture with 200 sites and their aliases; each read is
 * checked to have returned every row.
 */
import { spawn } from 'node:child_process';
import { rmSync } from 'node:fs';
import { askDjango } from '../daemon/sites/askDjango';
import type { ProjectCode } from '../daemon/runners/projectCode';
import { projectCodeIn } from '../test/support/projectCode';
import { tempFolder } from '../test/support/tempProject';
import type { BenchOptions, Benchmark } from './benchmark';
import { atMost, measured } from './report';
import type { Row } from './report';
import { demoWithSites, multisiteWithSites } from './sitesProject';
import type { SitesProject } from './sitesProject';
import { elapsedMs, inTurn, ratios } from './stats';

const FIGURE = '7 Django read';

/** A pair takes half a second and one busy moment moves a 20 ms difference: more pairs than BENCH_RUNS, for a steadier median. */
const PAIRS_PER_RUN = 3;

/** The environment both sides run in: the read's own (askDjango drops SITE_ID: the settings' own choice). */
function projectEnv(): NodeJS.ProcessEnv {
  const env = { ...process.env };
  delete env.SITE_ID;
  return env;
}

/** Spawn of `python manage.py check` to its exit; rejects unless it exits 0. */
function timeCheck(project: SitesProject): Promise<number> {
  return new Promise((resolve, reject) => {
    const start = performance.now();
    const child = spawn(project.python, ['manage.py', 'check'], { cwd: project.root, env: projectEnv(), stdio: ['ignore', 'ignore', 'pipe'] });
    let stderr = '';
    child.stderr.setEncoding('utf8');
    child.stderr.on('data', (chunk: string) => (stderr = (stderr + chunk).slice(-4096)));
    child.on('error', reject);
    child.on('close', (code) => {
      const ms = elapsedMs(start);
      if (code === 0) resolve(ms);
      else reject(new Error(`manage.py check of ${project.root} exited ${code}: ${stderr.trim()}`));
    });
  });
}

/** One read, as the daemon asks it; rejects unless it returned every site (and alias) row. */
async function timeRead(projectCode: ProjectCode, project: SitesProject): Promise<number> {
  const start = performance.now();
  const read = await askDjango(projectCode, project.root, project.python);
  const ms = elapsedMs(start);
  if (!read.ok) throw new Error(`the Django read of ${project.root} failed: ${read.reason}`);
  const { contrib, aliases } = read.facts.sites;
  if (contrib?.length !== project.sites) throw new Error(`the Django read returned ${contrib?.length ?? 'no'} site rows, not ${project.sites}`);
  if (project.aliases !== null && aliases?.length !== project.aliases)
    throw new Error(`the Django read returned ${aliases?.length ?? 'no'} alias rows, not ${project.aliases}`);
  return ms;
}

async function measure(project: SitesProject, options: BenchOptions): Promise<Row[]> {
  const journalDir = tempFolder('bench-journal');
  try {
    const projectCode = projectCodeIn(journalDir);
    // Untimed: the interpreter, Django and the project into the page cache.
    await timeCheck(project);
    await timeRead(projectCode, project);
    const readMs: number[] = [];
    const checkMs: number[] = [];
    for (let run = 0; run < options.runs * PAIRS_PER_RUN; run++) {
      const [read, check] = await inTurn(
        run,
        () => timeRead(projectCode, project),
        () => timeCheck(project),
      );
      readMs.push(read);
      checkMs.push(check);
    }
    return [
      measured(FIGURE, `manage.py check, ${project.label} (ms)`, 'ms', checkMs),
      measured(FIGURE, `ask-Django read, ${project.label} (ms)`, 'ms', readMs),
      measured(FIGURE, `read / check, ${project.label}`, 'x', ratios(readMs, checkMs), atMost(1.2)),
    ];
  } finally {
    rmSync(journalDir, { recursive: true, force: true });
  }
}

export const djangoRead: Benchmark = {
  key: 'read',
  title: '7. Django read',
  async run(options) {
    const rows: Row[] = [];
    for (const make of [demoWithSites, multisiteWithSites]) {
      const project = await make();
      try {
        rows.push(...(await measure(project, options)));
      } finally {
        await project.dispose();
      }
    }
    return rows;
  },
};
