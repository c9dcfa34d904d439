/**
 * The public benchmark's query, verbatim (BENCH-ANCHOR §3.1: k6.js `graphqlRequest.payload.query`,
 * also used by Grafbase's and ChilliCream's suites), sent as `{"query": ...}` with no variables and
 * no operationName, as k6 sends it.
 */
export const PUBLIC_QUERY = `fragment User on User {
      id
      username
      name
    }

    fragment Review on Review {
      id
      body
    }

    fragment Product on Product {
      inStock
      name
      price
      shippingEstimate
      upc
      weight
    }

    query TestQuery {
      users {
        ...User
        reviews {
          ...Review
          product {
            ...Product
            reviews {
              ...Review
              author {
                ...User
                reviews {
                  ...Review
                  product {
                    ...Product
                  }
                }
              }
            }
          }
        }
      }
      topProducts {
        ...Product
        reviews {
          ...Review
          author {
            ...User
            reviews {
              ...Review
              product {
                ...Product
              }
            }
          }
        }
      }
    }`;
