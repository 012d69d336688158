/**
 * The peer of the cold and first-switch figures: a bare `python manage.py
 * runserver 127.0.0.1:PORT` (default autoreloader, the site's SITE_ID), as the
 * daemon spawns it, timed from its spawn to the site's first answer, then
 * stopped with its process group. The memory figure keeps one running.
 */
import { spawn } from 'node:child_process';
import { choosePort } from '../daemon/runners/freePort';
import { killGroup } from '../daemon/base/processGroup';
import { onCleanup } from './cleanups';
import { firstAnswerOf } from './servedDemo';
import type { DemoSite } from './servedDemo';
import { elapsedMs } from './stats';

export interface BareRunserver {
  /** Its process group (the autoreloader's parent leads it). */
  pid: number;
  url: string;
  /** From its spawn to the site's first answer. */
  answeredMs: number;
  /** Stops its process group. */
  stop(): Promise<void>;
}

/** A bare runserver of `site`, once it answered with the site's page. */
export async function startBareRunserver(python: string, root: string, site: DemoSite): Promise<BareRunserver> {
  const port = await choosePort(0);
  const url = `http://127.0.0.1:${port}/`;
  const env: NodeJS.ProcessEnv = { ...process.env, PYTHONUNBUFFERED: '1', SITE_ID: String(site.id) };
  const start = performance.now();
  const child = spawn(python, ['manage.py', 'runserver', `127.0.0.1:${port}`], { cwd: root, env, detached: true, stdio: 'ignore' });
  const pid = child.pid;
  if (pid === undefined) throw new Error(`could not start ${python}`);
  const stop = onCleanup(() => killGroup(pid, 2000));
  const exited = new Promise<never>((_, reject) => child.once('exit', (code) => reject(new Error(`bare runserver exited ${code} before answering`))));
  try {
    await Promise.race([firstAnswerOf(url, site), exited]);
    return { pid, url, answeredMs: elapsedMs(start), stop };
  } catch (error) {
    await stop();
    throw error;
  } finally {
    exited.catch(() => undefined);
  }
}

export async function timeBareRunserver(python: string, root: string, site: DemoSite): Promise<number> {
  const bare = await startBareRunserver(python, root, site);
  await bare.stop();
  return bare.answeredMs;
}
