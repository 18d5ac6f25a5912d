// PostGraphile 5 serving the service's tables of the bench database (schema public), read
// only: the comparison in `make bench` (bench/run.py). The database is the one DATABASE_URL
// names.
import { makePgService } from "postgraphile/adaptors/pg";
import { lambda } from "postgraphile/grafast";
import { PostGraphileAmberPreset } from "postgraphile/presets/amber";
import { extendSchema, gql, jsonPgSmartTags } from "postgraphile/utils";

// Secrets are not served (people's password hashes, the hashes of API tokens and sessions),
// nor the tables the comparison has no use for (`subscription` would also clash with
// GraphQL's Subscription type).
const Secrets = jsonPgSmartTags({
  version: 1,
  config: {
    class: {
      resource: { attribute: { password_hash: { tags: { behavior: "-*" } } } },
      api_token: { tags: { behavior: "-*" } },
      session: { tags: { behavior: "-*" } },
      sign_in_throttle: { tags: { behavior: "-*" } },
      idempotency_key: { tags: { behavior: "-*" } },
      subscription: { tags: { behavior: "-*" } },
      aerich: { tags: { behavior: "-*" } },
    },
  },
});

// `available` of the service's `seats`: the licence count less those in use, from the row.
const Available = extendSchema({
  typeDefs: gql`
    extend type Organization {
      "Licences not in use: licenseCount - used."
      available: Int!
    }
  `,
  objects: {
    Organization: {
      plans: {
        available($organization) {
          const $count = $organization.get("license_count");
          const $used = $organization.get("used");
          return lambda([$count, $used], ([count, used]) => count - used, true);
        },
      },
    },
  },
});

/** @type {GraphileConfig.Preset} */
export default {
  extends: [PostGraphileAmberPreset],
  plugins: [Secrets, Available],
  // Read only; and every column may order and filter a list, indexed first or not (the
  // service's people list orders by name, id within an index led by the organisation).
  disablePlugins: ["PgMutationCreatePlugin", "PgMutationUpdateDeletePlugin", "PgIndexBehaviorsPlugin"],
  pgServices: [
    makePgService({ connectionString: process.env.DATABASE_URL, schemas: ["public"] }),
  ],
  grafserv: { graphiql: false, watch: false },
  grafast: { explain: false },
};
