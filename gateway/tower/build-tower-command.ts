import { buildAndReport } from '../static-bundle/bundle-build.ts';
import { TOWER_BUNDLE } from './tower-bundle.ts';

// `npm run build:tower` (also the root `prepare` script, so `npm ci` runs it): builds the
// control tower and prints what the page weighs.
await buildAndReport(TOWER_BUNDLE);
