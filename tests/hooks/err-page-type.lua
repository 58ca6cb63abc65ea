return {
  page = function(page, html)
    return { html }
  end,
}
