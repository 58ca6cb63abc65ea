__akbSearchLoad("base",0,{"v":1,"n":3,"fields":["name","summary","meta","headings","body","code"],"boost":[8,4,3,2,1,0.5],"avg":[2.667,17.667,5.000,4.667,13.333,7.000],"norms":"DScbECUgCBsAABsAFSEWHRgW","shards":[""],"chunk":16,"facets":[
{"key":"department","title":"Department","values":["data","engineering"],"docs":"AQEAAQA="},
{"key":"category","title":"Category","values":["data-analytics","engineering-architecture"],"docs":"AQEAAQA="},
{"key":"tools","title":"Tools","values":["Bash","Grep","Read"],"docs":"AgIBAAICAA=="},
{"key":"model","title":"Model","values":["opus","sonnet"],"docs":"AQEAAQA="}]});
