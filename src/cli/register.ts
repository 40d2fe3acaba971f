/**
 * `npm run register`: publishes citebot's slash and context-menu commands to Discord. To one
 * server when DISCORD_GUILD_ID is set (instant, for development), otherwise globally (Discord
 * may take up to an hour to show changes). The bot never does this at start-up.
 */
import { loadConfig } from '../config/config.ts';
import { CitebotError } from '../core/errors.ts';
import { registerCommands } from '../discord/index.ts';
import { parseEntryArguments } from './entry-arguments.ts';
import { runEntry } from './entry.ts';

await runEntry(async () => {
  parseEntryArguments(
    process.argv,
    { usage: 'npm run register', description: "Register citebot's commands with Discord (needs DISCORD_TOKEN and DISCORD_APPLICATION_ID; DISCORD_GUILD_ID for one server)." },
    { stdout: process.stdout, stderr: process.stderr },
  );
  const config = loadConfig();
  const discord = config.discord;
  if (discord === undefined || discord.applicationId === undefined) {
    throw new CitebotError('CONFIG_INVALID', 'Registering commands needs DISCORD_TOKEN and DISCORD_APPLICATION_ID.', {
      hint: 'Copy both from the Discord developer portal (your application → Bot / General Information) into .env.',
    });
  }
  const result = await registerCommands({
    token: discord.token,
    applicationId: discord.applicationId,
    ...(discord.guildId === undefined ? {} : { guildId: discord.guildId }),
    ...(discord.apiUrl === undefined ? {} : { apiUrl: discord.apiUrl }),
  });
  const where = result.scope === 'guild' ? `server ${discord.guildId}` : 'all servers (global; may take up to an hour to appear)';
  process.stdout.write(`Registered ${result.registered.length} commands for ${where}: ${result.registered.join(', ')}\n`);
});
