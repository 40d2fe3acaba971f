/**
 * `npm run register`: publishes citebot's slash and context-menu commands to Discord. To one
 * server when DISCORD_GUILD_ID is set (instant, for development), otherwise globally (Discord
 * may take up to an hour to show changes). The bot never does this at start-up.
 */
import { Command } from 'commander';
import { loadConfig } from '../config/config.ts';
import { CitebotError, isCitebotError } from '../core/errors.ts';
import { registerCommands } from '../discord/index.ts';

new Command('register').description('register citebot\'s commands with Discord (needs DISCORD_TOKEN and DISCORD_APPLICATION_ID)').parse();

try {
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
} catch (error) {
  if (!isCitebotError(error)) {
    process.stderr.write(`citebot: registering commands failed: ${error instanceof Error ? error.message : String(error)}\nCheck DISCORD_TOKEN and DISCORD_APPLICATION_ID.\n`);
    process.exitCode = 1;
  } else {
    process.stderr.write(`citebot: ${error.message}\n${error.hint}\n`);
    process.exitCode = 1;
  }
}
