// One implementation, shared with the benchmark: scripts/bench/free-port.ts.
export { freePort } from '../../scripts/bench/free-port.js';
