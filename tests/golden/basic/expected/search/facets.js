__akbSearchLoad("facets",0,[
"AgAB",
"AgAB",
"AgIBAAICAA==",
"AgAB"]);
