/**
 * Preloaded by dev-stack.ts into every piece it spawns (`--import`), so the entry points stay
 * untouched: the piece is spawned with an IPC channel, which closes when `npm start` dies in any
 * way, SIGKILL included. The piece then stops as on SIGTERM (its own clean shutdown; before its
 * handler is installed, SIGTERM ends it outright), and exits anyway 5 s later. No orphan keeps a
 * port.
 */
if (process.channel) {
  process.channel.unref(); // the channel alone never keeps the piece running
  process.once('disconnect', () => {
    setTimeout(() => process.exit(1), 5000).unref();
    process.kill(process.pid, 'SIGTERM');
  });
}

export {};
