// npm-pick-manifest ships no types; only the call Ocellus makes is declared.
declare module 'npm-pick-manifest' {
  export default function pickManifest(
    packument: object,
    wanted: string,
    options?: Record<string, unknown>,
  ): Record<string, unknown>;
}
