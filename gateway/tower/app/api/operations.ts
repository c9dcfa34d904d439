// Every operation the page sends. Trusted documents (contracts/trusted-documents/, sent by id,
// so partners may run them) and internal-only mutations (./operations/, sent as text).
export { operation as promotionsQuery } from '../../../../contracts/trusted-documents/tower-promotions.graphql';
export { operation as promotionEvents } from '../../../../contracts/trusted-documents/tower-promotion-events.graphql';
export { operation as promotionQuery } from '../../../../contracts/trusted-documents/tower-promotion.graphql';
export { operation as priceImpactQuery } from '../../../../contracts/trusted-documents/tower-price-impact.graphql';
export { operation as stockReadinessQuery } from '../../../../contracts/trusted-documents/tower-stock-readiness.graphql';
export { operation as fundingQuery } from '../../../../contracts/trusted-documents/tower-funding.graphql';
export { operation as exceptionsQuery } from '../../../../contracts/trusted-documents/tower-exceptions.graphql';
export { operation as regionsQuery } from '../../../../contracts/trusted-documents/tower-regions.graphql';
export { operation as countsQuery } from '../../../../contracts/trusted-documents/tower-counts.graphql';
export { operation as auditQuery } from '../../../../contracts/trusted-documents/tower-audit.graphql';
/** The partners' own suspend document, the one every caller may run. */
export { operation as suspendMutation } from '../../../../contracts/trusted-documents/partner-suspend.graphql';
export { operation as approveMutation } from '../operations/tower-approve.graphql';
export { operation as resumeMutation } from '../operations/tower-resume.graphql';
export { operation as retryMutation } from '../operations/tower-retry.graphql';
export { operation as endMutation } from '../operations/tower-end.graphql';
export { operation as redriveMutation } from '../operations/tower-redrive.graphql';
