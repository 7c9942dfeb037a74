Gem::Specification.new do |s|
  s.name = "greeter"
  s.version = "1.0.0"
  s.summary = "Says hello"
  s.authors = ["whittle tests"]
  s.license = "MIT"
  s.files = ["lib/greeter.rb"]
end
