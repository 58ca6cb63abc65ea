-- Marks every page with its kind.
return {
  page = function(page, html)
    return (html:gsub("</body>", "<!-- hooked " .. page.kind .. " -->\n</body>"))
  end,
}
