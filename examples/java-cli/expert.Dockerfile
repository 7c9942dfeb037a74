# Hand-optimized: compile and package with the headless JDK in a build stage (the slim base
# needs the man page directory that the JDK's install scripts write to); the runtime stage is
# slim with only the headless JRE and the jar, and runs as an unprivileged user.
FROM debian:bookworm-slim AS build
RUN mkdir -p /usr/share/man/man1 \
 && apt-get update \
 && apt-get install -y --no-install-recommends default-jdk-headless \
 && rm -rf /var/lib/apt/lists/*
WORKDIR /src
COPY src ./src
RUN javac -d classes src/org/example/csvstat/*.java \
 && jar cfe csvstat.jar org.example.csvstat.Main -C classes .

FROM debian:bookworm-slim
RUN mkdir -p /usr/share/man/man1 \
 && apt-get update \
 && apt-get install -y --no-install-recommends default-jre-headless \
 && rm -rf /var/lib/apt/lists/*
COPY --from=build /src/csvstat.jar /opt/csvstat/csvstat.jar
USER 65534:65534
ENTRYPOINT ["java", "-jar", "/opt/csvstat/csvstat.jar"]
