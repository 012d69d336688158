/** An admin of a demo copy to log in as: the admin's login is what the preview and forwarded addresses must keep. */
import { execFileSync } from 'node:child_process';
import * as path from 'node:path';

export const ADMIN = { username: 'admin', password: 'local-admin' };

/** Creates the superuser ADMIN in the demo copy at `demo` (its venv and database exist). */
export function createAdmin(demo: string): void {
  execFileSync(
    path.join(demo, '.venv', 'bin', 'python'),
    ['manage.py', 'createsuperuser', '--noinput', '--username', ADMIN.username, '--email', 'admin@example.com'],
    {
      cwd: demo,
      env: { ...process.env, DJANGO_SUPERUSER_PASSWORD: ADMIN.password },
      stdio: 'pipe',
    },
  );
}
