// Swedish for the search page's JavaScript (Sphinx's searchtools.js); beside sphinx.po, which Sphinx
// copies to _static/translations.js. Keys are Sphinx's English source strings.
Documentation.addTranslations({
    "locale": "sv",
    "messages": {
        "Search Results": "Sökresultat",
        "Searching": "Söker",
        "Preparing search...": "Förbereder sökningen …",
        "Search didn't return any results. Please try again with different keywords.": "Sökningen gav inga träffar. Försök med andra sökord.",
        "Search finished, found ${resultCount} page(s) matching the search query.": "Sökningen är klar. Sidor som matchar: ${resultCount}.",
        ", in ": ", i ",
        "Hide Search Matches": "Dölj sökträffarna",
        "Expand sidebar": "Visa sidomenyn",
        "Collapse sidebar": "Dölj sidomenyn",
        "Contents": "Innehåll",
        "Copyright": "Upphovsrätt",
        "Search": "Sök"
    },
    "plural_expr": "(n != 1)"
});
