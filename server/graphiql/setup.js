/* GraphiQL's start-up, as strawberry-graphql's GraphiQL page has it (MIT licence): the query,
   variables and headers in the address, the csrftoken cookie sent as x-csrftoken, the
   explorer plugin. The session cookie goes with every request (same origin). */
"use strict";
const EXAMPLE_QUERY = `# Welcome to GraphiQL 🍓
#
# GraphiQL is an in-browser tool for writing, validating, and
# testing GraphQL queries.
#
# Type queries into this side of the screen, and you will see intelligent
# typeaheads aware of the current GraphQL type schema and live syntax and
# validation errors highlighted within the text.
#
# GraphQL queries typically start with a "{" character. Lines that starts
# with a # are ignored.
#
# An example GraphQL query might look like:
#
#     {
#       field(arg: "value") {
#         subField
#       }
#     }
#
# Keyboard shortcuts:
#
#       Run Query:  Ctrl-Enter (or press the play button above)
#
#   Auto Complete:  Ctrl-Space (or just start typing)
#
`;

// Parse URL parameters for sharing queries
const parameters = {};

for (const entry of window.location.search.slice(1).split("&")) {
  const eq = entry.indexOf("=");
  if (eq >= 0) {
    parameters[decodeURIComponent(entry.slice(0, eq))] =
      decodeURIComponent(entry.slice(eq + 1));
  }
}

function updateURL(data) {
  Object.assign(parameters, data);

  const newSearch =
    "?" +
    Object.keys(parameters)
      .filter(function (key) {
        return Boolean(parameters[key]);
      })
      .map(function (key) {
        return (
          encodeURIComponent(key) +
          "=" +
          encodeURIComponent(parameters[key])
        );
      })
      .join("&");
  history.replaceState(null, null, newSearch);
}

const fetchURL = window.location.href.split("?")[0];

function httpUrlToWebSockeUrl(url) {
  const parsedURL = new URL(url);
  const protocol = parsedURL.protocol === "http:" ? "ws:" : "wss:";
  parsedURL.protocol = protocol;
  parsedURL.hash = "";
  return parsedURL.toString();
}

const defaultHeaders = {};
const csrfToken = Cookies.get("csrftoken");

if (csrfToken) {
  defaultHeaders["x-csrftoken"] = csrfToken;
}

const subscriptionUrl = httpUrlToWebSockeUrl(fetchURL);

const fetcher = GraphiQL.createFetcher({
  url: fetchURL,
  headers: defaultHeaders,
  subscriptionUrl,
});

// The editors are given their first contents once and then left to the person typing:
// GraphiQL reports edits after a short pause, and a contents prop fed back from those
// reports would put the editor back to an older text when a keystroke lands before the
// page has re-rendered, losing what was typed since.
const initialQuery = parameters.q || EXAMPLE_QUERY;
const initialVariables = parameters.variables;
const initialHeaders = parameters.headers;

function GraphiQLWithExplorer() {
  function onEditQuery(newQuery) {
    updateURL({ q: newQuery });
  }

  function onEditVariables(newVariables) {
    updateURL({ variables: newVariables });
  }

  const explorerPlugin = GraphiQLPluginExplorer.explorerPlugin();

  return React.createElement(GraphiQL, {
    fetcher: fetcher,
    defaultEditorToolsVisibility: true,
    plugins: [explorerPlugin],
    query: initialQuery,
    variables: initialVariables,
    headers: initialHeaders,
    onEditQuery: onEditQuery,
    onEditVariables: onEditVariables,
    inputValueDeprecation: true,
    isHeadersEditorEnabled: true,
    shouldPersistHeaders: true,
  });
}

const root = ReactDOM.createRoot(document.getElementById("graphiql"));
root.render(React.createElement(GraphiQLWithExplorer));
