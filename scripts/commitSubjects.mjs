// Every commit subject since the rule began (issue 26) is at most 72 characters, the detail in the
// body: what `git log --oneline` and GitHub's lists show whole. Older subjects stay as they were written.
import { execFileSync } from 'node:child_process';

const SINCE = '36ed9cd'; // the last commit before the rule
const MAX = 72;

let subjects;
try {
  subjects = execFileSync('git', ['log', '--format=%h %s', `${SINCE}..HEAD`], { encoding: 'utf8' })
    .split('\n')
    .filter(Boolean);
} catch (error) {
  console.error(`commitSubjects: cannot read the commits since ${SINCE} (${error.message.split('\n')[0]}); run it in a clone of the repository.`);
  process.exit(1);
}
const long = subjects.filter((line) => line.length - line.indexOf(' ') - 1 > MAX);
for (const line of long) console.error(`commit subject over ${MAX} characters: ${line}`);
console.log(`commit subjects: ${subjects.length} checked, ${long.length} over ${MAX} characters`);
process.exit(long.length ? 1 : 0);
