import { writeFileSync } from 'node:fs';
import { CHANNEL_SCHEMA_FILES, generatedChannelSchema } from './json-schema-channels.ts';

for (const file of CHANNEL_SCHEMA_FILES) {
  writeFileSync(file, await generatedChannelSchema(file));
  console.log(`wrote the channel enums of ${file}`);
}
