# Greets.
module Greeter
  # A greeting for +name+.
  def self.hello(name)
    "hello, #{name}"
  end
end
