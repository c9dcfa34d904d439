/** The `@link` every subgraph of the public benchmark declares, verbatim (BENCH-ANCHOR §3.2). */
export const PUBLIC_LINK = /* GraphQL */ `
  extend schema
    @link(
      url: "https://specs.apollo.dev/federation/v2.5"
      import: [
        "@key"
        "@tag"
        "@shareable"
        "@inaccessible"
        "@override"
        "@external"
        "@provides"
        "@requires"
        "@composeDirective"
        "@interfaceObject"
        "@requiresScopes"
      ]
    )
`;
