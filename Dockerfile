# vitrine in a container, for an agency without Rust:
#   docker build -t vitrine .
#   docker run --rm --user "$(id -u):$(id -g)" -v "$PWD:/site" vitrine build
#   docker run --rm --user "$(id -u):$(id -g)" -v "$PWD:/site" -p 1111:1111 vitrine serve --bind 0.0.0.0
# (run from the site folder; the output lands in ./output, owned by you)

FROM rust:1-slim-bookworm AS build
WORKDIR /src
COPY . .
RUN cargo install --locked --path . --root /usr/local

FROM debian:bookworm-slim
COPY --from=build /usr/local/bin/vitrine /usr/local/bin/vitrine
# posters and resized images are cached here between the builds of one container
ENV VITRINE_CACHE_DIR=/tmp/vitrine-cache
WORKDIR /site
EXPOSE 1111
ENTRYPOINT ["vitrine"]
CMD ["build"]
