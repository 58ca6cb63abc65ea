return {
  filter = function(agent)
    os.execute("echo pwned")
    return true
  end,
}
