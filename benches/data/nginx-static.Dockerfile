FROM node:20-alpine AS assets
WORKDIR /site
COPY package*.json ./
RUN npm ci
COPY . .
RUN npm run build

FROM nginx:1.25-alpine
COPY --from=assets /site/dist /usr/share/nginx/html
COPY <<EOF /etc/nginx/conf.d/default.conf
server {
    listen 8080;
    root /usr/share/nginx/html;
    location / {
        try_files $uri $uri/ /index.html;
    }
    gzip on;
    gzip_types text/css application/javascript image/svg+xml;
}
EOF
RUN chown -R nginx:nginx /usr/share/nginx/html && \
    sed -i 's/^user/#user/' /etc/nginx/nginx.conf
USER nginx
EXPOSE 8080
