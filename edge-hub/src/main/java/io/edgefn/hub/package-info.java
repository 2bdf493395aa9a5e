package io.edgefn.hub;
