/**
 * The block an older version wrote into a hosts file that did not exist (it
 * created the file, marked `+new`). A missing file is refused now, but such
 * files remain on users' machines: removing their last block must still delete
 * the file it created.
 */
import { toBytes } from '../../daemon/hosts/hostsBlock';
import type { HostsBlock } from '../../daemon/hosts/hostsBlock';
import { endMarker } from '../../daemon/hosts/blockScan';

export function legacyCreatedFile(block: HostsBlock): string {
  const entries = block.names.flatMap((name) => [`127.0.0.1\t${name}`, `::1\t${name}`]);
  return [`# >>> multisite-local ${block.id}+new ${toBytes(block.root)} >>>`, ...entries, endMarker(block.id)].join('\n') + '\n';
}
