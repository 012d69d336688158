/**
 * Debugging a compose web service: its command run under debugpy (or one sentence saying why it
 * cannot be), its bind mounts as `compose config` prints them in both compose versions turned into a
 * debugger's pathMappings, and a string command split as compose splits it.
 */
import * as assert from 'node:assert/strict';
import { splitCommand } from '../../../../daemon/compose/commandWords';
import { debugCommand, debugPathMappings, serviceRun } from '../../../../daemon/compose/composeDebug';

const FILE = '/p/docker-compose.yml';

describe('debugging the compose web service', () => {
  it('inserts debugpy after the python executable and its own options, before the script', () => {
    assert.deepEqual(debugCommand(['python', 'manage.py', 'runserver', '0.0.0.0:80'], 'web', FILE), [
      'python',
      '-m',
      'debugpy',
      '--listen',
      '0.0.0.0:5678',
      'manage.py',
      'runserver',
      '0.0.0.0:80',
    ]);
    assert.deepEqual(debugCommand(['/usr/local/bin/python3.12', '-u', 'src/manage.py', 'runserver'], 'app', FILE).slice(0, 7), [
      '/usr/local/bin/python3.12',
      '-u',
      '-m',
      'debugpy',
      '--listen',
      '0.0.0.0:5678',
      'src/manage.py',
    ]);
  });

  it('refuses, in one sentence naming the service and file, a command it cannot run under debugpy', () => {
    const refused = (command: string[] | null): string => {
      try {
        debugCommand(command, 'web', FILE);
      } catch (error) {
        return (error as Error).message;
      }
      assert.fail(`accepted ${JSON.stringify(command)}`);
    };
    assert.match(refused(null), /^the web service in docker-compose\.yml has no command of its own \(its image's runs\): .*; give it one\.$/);
    assert.match(refused(['sh', '-c', 'python manage.py runserver']), /^the web service in docker-compose\.yml runs `sh -c python manage\.py runserver`: /);
    assert.match(refused(['python', '-m', 'django', 'runserver']), /runs `python -m django runserver`/);
    assert.match(refused(['python', '-W', 'ignore', 'manage.py']), /runs `python -W ignore manage\.py`/);
    assert.match(refused(['gunicorn', 'app.wsgi']), /runs `gunicorn app\.wsgi`/);
  });

  it("reads the command and bind mounts from compose v1's config (a string, host:container:mode)", () => {
    const run = serviceRun(
      [
        'services:',
        '  web:',
        '    command: python3 manage.py runserver 0.0.0.0:80',
        '    volumes:',
        '    - /usr:/usr:ro',
        '    - /home/me/shop:/app:rw',
        '    - media:/data:rw',
        '  db:',
        '    image: postgres',
      ].join('\n'),
      'web',
    );
    assert.deepEqual(run.command, ['python3', 'manage.py', 'runserver', '0.0.0.0:80']);
    assert.deepEqual(run.mounts, [
      { localRoot: '/usr', remoteRoot: '/usr' },
      { localRoot: '/home/me/shop', remoteRoot: '/app' },
    ]);
  });

  it("reads the command and bind mounts from compose v2's config (a list, long syntax), named volumes left out", () => {
    const run = serviceRun(
      JSON.stringify({
        services: {
          app: {
            command: ['python', 'manage.py', 'runserver', '0.0.0.0:8000'],
            volumes: [
              { type: 'bind', source: '/home/me/shop', target: '/code', bind: {} },
              { type: 'bind', source: '/home/me/shop/static', target: '/srv/static' },
              { type: 'volume', source: 'pgdata', target: '/var/lib/postgresql/data' },
            ],
          },
        },
      }),
      'app',
    );
    assert.deepEqual(run.command, ['python', 'manage.py', 'runserver', '0.0.0.0:8000']);
    assert.deepEqual(debugPathMappings(run.mounts), [
      { localRoot: '/home/me/shop/static', remoteRoot: '/srv/static' },
      { localRoot: '/home/me/shop', remoteRoot: '/code' },
    ]);
    assert.deepEqual(serviceRun('services:\n  app: {}\n', 'app'), { command: null, mounts: [] });
  });

  it('maps no folder mounted at its own path', () => {
    assert.deepEqual(debugPathMappings([{ localRoot: '/usr', remoteRoot: '/usr' }]), []);
  });
});

describe('a compose command string split into words', () => {
  it('splits as compose does: spaces separate, quotes group, backslashes escape, no shell meaning', () => {
    assert.deepEqual(splitCommand('  python manage.py  runserver 0.0.0.0:80 '), ['python', 'manage.py', 'runserver', '0.0.0.0:80']);
    assert.deepEqual(splitCommand(`python -c "print('a b')" 'x "y"' z\\ w ""`), ['python', '-c', "print('a b')", 'x "y"', 'z w', '']);
    assert.deepEqual(splitCommand('a && $HOME "q\\"q"'), ['a', '&&', '$HOME', 'q"q']);
    assert.throws(() => splitCommand('python "manage.py'), /^Error: the command `python "manage\.py` has an unclosed "$/);
  });
});
