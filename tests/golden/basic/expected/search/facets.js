__akbSearchLoad("facets",0,[
"CAB",
"CAB",
"CCBACCA",
"CAB"]);
