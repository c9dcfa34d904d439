// React ships no types and @types/react is not a dependency: the two functions this page calls.
// (graphiql's own declarations then see React's types as `any`; skipLibCheck keeps tsc quiet.)
declare module 'react' {
  export function createElement(
    type: unknown,
    props?: Record<string, unknown> | null,
    ...children: unknown[]
  ): unknown;
}
declare module 'react-dom/client' {
  export type Root = { render(children: unknown): void; unmount(): void };
  export function createRoot(container: Element): Root;
}
