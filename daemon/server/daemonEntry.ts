/**
 * The daemon's entry, dist/daemon.js (the file clients start): first the code
 * cache, then the daemon itself, a bundle of its own (dist/daemonMain.js) so
 * that it can load through that cache.
 */
import './daemonStartup';
import './daemonMain';
