import { createHash, randomBytes } from 'node:crypto';
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import type { Scenario } from '../scenario.ts';
import { createBenchPrincipalHeaders } from '../ours/bench-principal.ts';
import { startOurStack } from '../ours/our-stack.ts';
import { createPartnerWorkload, PARTNER_DOCUMENTS, PARTNER_VENDOR } from './partner-workload.ts';

const principal = {
  tokenClass: 'partner',
  partnerId: 'P-BENCH',
  vendorId: PARTNER_VENDOR,
  scopes: ['promotion:read', 'promotion:write'],
};

/**
 * Scenario (iii): a vendor's integration (partner token confined to V100001) running the
 * create / update / submit / read mix of partner-workload.ts through our four subgraphs on the
 * emulated ERP. Every step is answered by the promotion subgraph alone, so the floor (e) is that
 * subgraph called directly with the same signed principal. Partner tokens may run trusted
 * documents only: our gateway gets a manifest of the mix's four documents (TRUSTED_DOCUMENTS_PATH).
 */
export const partnerScenario: Scenario = {
  name: 'partner',
  title:
    'partner mutation mix: createPromotionDraft, updatePromotionDraft, submitPromotion, promotion',
  principal,
  async start(context) {
    const stack = await startOurStack(context, 'partner');
    // Trusted documents of the mix, in the manifest format of `npm run trusted-documents`.
    const manifestPath = join(context.workDir, 'partner.trusted-documents.json');
    const documents = Object.fromEntries(
      PARTNER_DOCUMENTS.map((text) => [createHash('sha256').update(text).digest('hex'), text]),
    );
    writeFileSync(
      manifestPath,
      JSON.stringify({ generatedBy: 'bench/scenarios/partner (benchmark only)', documents }),
    );
    return {
      supergraphPath: stack.supergraphPath,
      strippedSupergraphPath: stack.strippedSupergraphPath,
      subgraphUrls: stack.subgraphUrls,
      ourGatewayEnv: { ...stack.ourGatewayEnv, TRUSTED_DOCUMENTS_PATH: manifestPath },
      pids: stack.pids,
      processes: stack.processes,
      erpCounts: stack.erpCounts,
      needsCallerIdentity: true,
      workload: createPartnerWorkload(randomBytes(4).toString('hex'), Date.now()),
      extraHeaders: createBenchPrincipalHeaders(principal),
      directUrl: stack.subgraphUrls.promotion,
      upstreamStats: async () => undefined,
    };
  },
};
