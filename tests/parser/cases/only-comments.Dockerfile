# just a comment

   # indented
