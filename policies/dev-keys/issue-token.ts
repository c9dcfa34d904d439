import { issueDevToken, USAGE, UsageError } from './token-args.ts';

/**
 * `npm run token -- --sub ID --scopes "a b" [--channel C] [--partner P] [--vendor V] [--class C]
 * [--client C] [--ttl 1h] [--alg RS256|ES256] [--policy policies/auth.yaml]`: prints one token
 * signed with the DEVELOPMENT key that the `npm start` stack accepts, and nothing else on stdout
 * (`npm run -s token ...` to drop npm's banner). Bad arguments: reason and usage on stderr, exit 2.
 */
try {
  process.stdout.write(`${issueDevToken(process.argv.slice(2))}\n`);
} catch (error) {
  const usage =
    error instanceof UsageError || (error as { code?: string }).code?.startsWith('ERR_PARSE_ARGS');
  process.stderr.write(`token: ${(error as Error).message}\n${usage ? `${USAGE}\n` : ''}`);
  process.exitCode = 2;
}
