// The API's documentation page: Swagger UI, served by the portal, reading the portal's schema.
(function () {
  "use strict";
  var element = document.getElementById("swagger-ui");
  if (!element || typeof window.SwaggerUIBundle !== "function") {
    return;
  }
  window.SwaggerUIBundle({
    url: element.dataset.schemaUrl,
    domNode: element,
    deepLinking: false,
    defaultModelsExpandDepth: 0,
  });
})();
