import * as assert from 'node:assert/strict';
import { parse } from 'yaml';
import { findWebPort, publishWebPortOn, restoreWebPort, runserverPort } from '../../../../daemon/compose/composePorts';

const DIVIO = `# Divio's local setup
services:
  web:   # the Django app
    build: "."
    ports:
      - "127.0.0.1:8000:80"   # keep it local
      - 9229:9229
    env_file: .env-local
  db:
    image: postgres:15
    ports: ["5432:5432"]
`;

function roundTrip(text: string): { edited: string; written: string } {
  const found = findWebPort(text);
  assert.ok(found.ok, found.ok ? '' : found.reason);
  const result = publishWebPortOn(text, found.port, 80);
  assert.ok(result.ok, result.ok ? '' : result.reason);
  const { text: edited, written } = result;
  assert.equal(restoreWebPort(edited, written, found.port.raw), text, 'restoring gives back the original bytes');
  return { edited, written };
}

describe('compose ports', () => {
  it('publishes the web port on 80, keeping the host IP, the comments and everything else', () => {
    const { edited } = roundTrip(DIVIO);
    assert.equal(edited, DIVIO.replace('"127.0.0.1:8000:80"', '"127.0.0.1:80:80"'));
  });

  it('finds the mapping by the container port runserver listens on', () => {
    const text = 'services:\n  web:\n    command: ["python", "manage.py", "runserver", "0.0.0.0:8000"]\n    ports:\n      - "3000:3000"\n      - "8080:8000"\n';
    const { edited } = roundTrip(text);
    assert.match(edited, /- "80:8000"\n/);
    assert.match(edited, /- "3000:3000"/);
  });

  it('edits the long syntax, and a CRLF file without a final newline, byte for byte', () => {
    const text =
      "services:\r\n  web:\r\n    command: python manage.py runserver 0.0.0.0:80\r\n    ports:\r\n      - target: 80\r\n        published: '8000'\r\n        host_ip: 127.0.0.1\r\n        protocol: tcp";
    const { edited } = roundTrip(text);
    assert.equal(edited, text.replace("published: '8000'", "published: '80'"));
    assert.equal((parse(edited) as { services: { web: { ports: { published: string }[] } } }).services.web.ports[0].published, '80');
  });

  it('quotes a plain short mapping it rewrites, so YAML 1.1 cannot read it as a number', () => {
    const { edited } = roundTrip('services:\n  web:\n    ports:\n      - 8000:80/tcp\n');
    assert.match(edited, /- "80:80\/tcp"\n/);
  });

  it('leaves a mapping alone that someone changed after us', () => {
    const found = findWebPort(DIVIO);
    assert.ok(found.ok);
    const result = publishWebPortOn(DIVIO, found.port, 80);
    assert.ok(result.ok);
    const { text: edited, written } = result;
    assert.equal(restoreWebPort(edited.replace(written, '"127.0.0.1:8081:80"'), written, found.port.raw), null);
  });

  it('explains why it cannot find a port, naming the file and the line', () => {
    const reasons = [
      'services:\n  db:\n    image: x\n  cache:\n    image: y\n',
      'services:\n  web:\n    image: x\n',
      'services:\n  web:\n    ports: ["1:2", "3:4"]\n',
      'services: [\n',
    ].map((t) => {
      const r = findWebPort(t, 'docker-compose.yml');
      return r.ok ? 'found' : r.reason;
    });
    assert.deepEqual(reasons, [
      'docker-compose.yml has no web service: no service is named web, and it has more than one service (or none).',
      'docker-compose.yml line 3: the web service publishes no ports.',
      'docker-compose.yml line 3: no port of the web service maps to container port 80, where runserver listens.',
      reasons[3],
    ]);
    assert.match(reasons[3], /^docker-compose\.yml line 2 is not valid YAML: [^\n]+\.$/);
  });

  it('reads runserver addresses in every form', () => {
    assert.equal(runserverPort('python manage.py runserver 0.0.0.0:80'), 80);
    assert.equal(runserverPort(['python', 'manage.py', 'runserver', '--noreload', '9000']), 9000);
    assert.equal(runserverPort('python manage.py runserver'), 8000);
    assert.equal(runserverPort(undefined), 80);
    assert.equal(runserverPort('uwsgi --http :80'), 8000);
  });
});
