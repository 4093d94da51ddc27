/** `npm run render -- --photo face.jpg --script "..." --lang vi --out out.mp4` (filled in by the renderer work). */
export async function renderCli(args: string[]): Promise<void> {
  throw new Error(`render CLI is not available yet (${args.join(' ')})`);
}
