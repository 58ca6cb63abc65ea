(typeof __akbSearchLoad=="function"?__akbSearchLoad:function(k,i,d){window.__akbSearchBase=d;})("base",0,{"v":2,"n":3,"fields":["name","summary","meta","headings","body","code"],"boost":[8,4,3,2,1,0.5],"chunk":16,"shards":"","solo":"0","facets":[
{"key":"department","title":"Department","values":["data","engineering"],"one":1},
{"key":"category","title":"Category","values":["data-analytics","engineering-architecture"],"one":1},
{"key":"tools","title":"Tools","values":["Bash","Grep","Read"],"one":0},
{"key":"model","title":"Model","values":["opus","sonnet"],"one":1}]});
