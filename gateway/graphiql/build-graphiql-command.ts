import { buildAndReport } from '../static-bundle/bundle-build.ts';
import { GRAPHIQL_BUNDLE } from './graphiql-bundle.ts';

// `npm run build:graphiql` (also run by the root `prepare` script, so `npm ci` runs it): builds
// the GraphiQL page and prints what it weighs.
await buildAndReport(GRAPHIQL_BUNDLE);
