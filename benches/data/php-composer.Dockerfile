FROM composer:2 AS vendor
WORKDIR /app
COPY composer.json composer.lock ./
RUN composer install --no-dev --no-scripts --prefer-dist --no-interaction --optimize-autoloader

FROM php:8.3-fpm-alpine
RUN apk add --no-cache icu-dev libzip-dev oniguruma-dev \
 && docker-php-ext-install intl zip mbstring opcache pdo_mysql \
 && apk del --no-cache icu-dev
COPY docker/php.ini /usr/local/etc/php/conf.d/app.ini
COPY --from=vendor /app/vendor /var/www/html/vendor
COPY . /var/www/html
RUN chown -R www-data:www-data /var/www/html/storage /var/www/html/bootstrap/cache
USER www-data
ONBUILD COPY . /var/www/html
HEALTHCHECK CMD php-fpm -t || exit 1
