import { CommandCore, type CommandDeps } from './command-core.ts';
import { createDraftCommands } from './draft-commands.ts';
import { createPublicationCommands } from './publication-commands.ts';
import { createStockHoldCommands } from './stock-hold-commands.ts';

export type PromotionCommandsDeps = CommandDeps & {
  /** Promotion id generator. Default `prm_` + 20 hex characters. */
  newId?: () => string;
};

/** Every mutation of a promotion; each goes through the state machine and CommandCore.save. */
export function createPromotionCommands(deps: PromotionCommandsDeps) {
  const core = new CommandCore(deps);
  return {
    core,
    ...createDraftCommands(core, deps.newId),
    ...createPublicationCommands(core),
    ...createStockHoldCommands(core),
  };
}

export type PromotionCommands = ReturnType<typeof createPromotionCommands>;
